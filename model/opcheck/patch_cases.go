package opcheck

// patchCases is the patch family's part of the table.
func patchCases() []Case { return nil }
