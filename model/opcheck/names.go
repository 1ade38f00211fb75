package opcheck

import "fmt"

// sizeName formats a case name with a size.
func sizeName(prefix string, n int) string { return fmt.Sprintf("%s%d", prefix, n) }
