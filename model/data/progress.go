package data

// Progress starts reporting one stage of long work, total units of unit, and returns the
// functions that record n more units done and finish the stage. It lets the native tools
// draw a progress bar without this package importing one. A nil Progress is silent.
type Progress func(label, unit string, total int) (add func(n int), done func())

// start is p with a nil Progress made silent.
func (p Progress) start(label, unit string, total int) (add func(n int), done func()) {
	if p == nil {
		return func(int) {}, func() {}
	}
	return p(label, unit, total)
}
