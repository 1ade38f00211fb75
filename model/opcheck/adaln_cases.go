package opcheck

// adalnCases is the adaln family's part of the table.
func adalnCases() []Case { return nil }
