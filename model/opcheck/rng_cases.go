package opcheck

// rngCases is the rng family's part of the table.
func rngCases() []Case { return nil }
