package opcheck

// optimCases is the optim family's part of the table.
func optimCases() []Case { return nil }
