package opcheck

// rmsnormCases is the rmsnorm family's part of the table.
func rmsnormCases() []Case { return nil }
