package opcheck

// attentionCases is the attention family's part of the table.
func attentionCases() []Case { return nil }
