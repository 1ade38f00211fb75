package weights

// Limits bounds what reading a weight file may cost. A zero or negative
// field takes its value from DefaultLimits.
type Limits struct {
	// MaxBytes bounds the uncompressed file: Read stops decompressing past
	// it and Decode refuses a larger input. Decoded tensors take at most
	// twice this many bytes (F16 and BF16 values widen to float32).
	MaxBytes int64
	// MaxHeader bounds the JSON header length N.
	MaxHeader int64
	// MaxTensors bounds the number of tensors in the header.
	MaxTensors int
}

// DefaultLimits fits the browser: the small model is under 5 M parameters
// (10 MB as F16, 20 MB as F32), far below these bounds.
var DefaultLimits = Limits{
	MaxBytes:   256 << 20,
	MaxHeader:  1 << 20,
	MaxTensors: 4096,
}

// withDefaults fills unset fields from DefaultLimits.
func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultLimits.MaxBytes
	}
	if l.MaxHeader <= 0 {
		l.MaxHeader = DefaultLimits.MaxHeader
	}
	if l.MaxTensors <= 0 {
		l.MaxTensors = DefaultLimits.MaxTensors
	}
	return l
}
