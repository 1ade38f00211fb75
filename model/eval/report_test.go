package eval

import (
	"encoding/json"
	"math"
	"testing"
)

func TestDecibelsJSON(t *testing.T) {
	tests := []struct {
		in   Decibels
		want string
	}{
		{23.5, "23.5"},
		{Decibels(math.Inf(1)), "null"},
		{Decibels(math.NaN()), "null"},
	}
	for _, tc := range tests {
		got, err := json.Marshal(Reconstruction{PSNR: tc.in})
		if err != nil {
			t.Fatal(err)
		}
		if want := `{"images":0,"psnr":` + tc.want + `,"ssim":0}`; string(got) != want {
			t.Errorf("%v: %s, want %s", float64(tc.in), got, want)
		}
	}
}
