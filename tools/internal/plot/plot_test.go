package plot

import (
	"bytes"
	"image/color"
	"image/png"
	"math"
	"testing"
)

func TestDraw(t *testing.T) {
	tests := []struct {
		name  string
		chart Chart
	}{
		{"loss", Chart{Title: "loss", XLabel: "step", LogY: true, Series: []Series{
			{Name: "total", X: []float64{1, 2, 3, 4}, Y: []float64{1, 0.5, math.NaN(), 0.2}},
			{Name: "flow", X: []float64{1, 2, 3, 4}, Y: []float64{0, 0.3, 0.2, 0.1}},
		}}},
		{"flat", Chart{Title: "flat", Series: []Series{{Name: "c", X: []float64{5}, Y: []float64{2}}}}},
		{"empty", Chart{Title: "empty"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tc.chart.WritePNG(&buf); err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(&buf)
			if err != nil {
				t.Fatal(err)
			}
			if len(tc.chart.Series) == 0 {
				return
			}
			// The first series' colour must appear: a line was drawn.
			want := palette[0]
			found := false
			b := img.Bounds()
			for y := b.Min.Y; y < b.Max.Y && !found; y++ {
				for x := b.Min.X; x < b.Max.X; x++ {
					if color.RGBAModel.Convert(img.At(x, y)) == want {
						found = true
						break
					}
				}
			}
			if !found {
				t.Fatal("no pixel of the first series' colour")
			}
		})
	}
}
