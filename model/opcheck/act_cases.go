package opcheck

// actCases is the act family's part of the table.
func actCases() []Case { return nil }
