package gradcheck

import "testing"

// TestCheck makes sure a wrong gradient fails and a right one passes.
func TestCheck(t *testing.T) {
	x := []float64{0.3, -1.2}
	loss := func() float64 { return x[0]*x[0] + 3*x[1] }
	tests := []struct {
		name     string
		grad     []float64
		wantFail bool
	}{
		{"right", []float64{0.6, 3}, false},
		{"wrong", []float64{0.6, 2.9}, true},
	}
	for _, tc := range tests {
		ft := &testing.T{}
		done := make(chan int)
		go func() { done <- Check(ft, loss, []Target{{Name: "x", Value: x, Grad: tc.grad}}) }()
		if n := <-done; n != 2 || ft.Failed() != tc.wantFail {
			t.Errorf("%s: checked %d, failed %v", tc.name, n, ft.Failed())
		}
	}
}
