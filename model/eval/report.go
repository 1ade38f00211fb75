package eval

import (
	"encoding/json"
	"math"
)

// Report is the result of Run.
type Report struct {
	Dataset        string         `json:"dataset"`
	Config         string         `json:"config"` // the generator's config name
	Classifier     Classifier     `json:"classifier"`
	Reconstruction Reconstruction `json:"reconstruction"`
	Denoised       []Denoised     `json:"denoised"`         // the refiner's x-prediction per time, on the same images
	Coverage       Coverage       `json:"coverage"`         // how far random and looped sphere points are from the encodings
	Reference      int            `json:"reference_images"` // training images the Fréchet distance compares with
	Classes        []string       `json:"classes"`          // the dataset's class names, the order of Metrics.Classes
	HeldOut        Metrics        `json:"held_out"`         // real held-out images: the floor
	Prior          string         `json:"prior"`            // where the generator draws sphere points: "uniform" or its fitted prior
	Loops          int            `json:"loops"`            // encode→decode loops before each generated row's refinement
	Renoise        float64        `json:"renoise_deg"`      // the loops' re-noise angle
	Generated      []Row          `json:"generated"`        // one row per step count
}

// Classifier describes the feature network.
type Classifier struct {
	Accuracy float64 `json:"accuracy"` // on the whole held-out split
	HeldOut  int     `json:"held_out"` // images it was measured on
	Features int     `json:"features"` // width of the feature layer
}

// Reconstruction is the autoencoder's encode-then-decode quality on held-out images.
type Reconstruction struct {
	Images int      `json:"images"`
	PSNR   Decibels `json:"psnr"` // of the mean squared error over all images, [0, 1] scale
	SSIM   float64  `json:"ssim"` // mean over images and channels
}

// Metrics measure one set of images against the data.
type Metrics struct {
	Images    int      `json:"images"`
	FD        float64  `json:"fd"`                  // Fréchet distance to the training split's features
	Confident *float64 `json:"confident,omitempty"` // share with top-class probability ≥ ConfidentAt, when asked
	Nearest   float64  `json:"nn_rmse"`             // mean RMSE ([0, 1] scale) to the nearest training image
	// Classes is the share of the images the classifier labels with each class, in the
	// order of the dataset's classes: mode imbalance shows as shares far from the data's.
	Classes []float64 `json:"classes"`
	// Precision and Recall compare the images' features with as many training images' by
	// k-nearest-neighbour manifolds (quality.PrecisionRecall, k = ManifoldK): precision is
	// the share of images that look real, recall the share of the data they cover. Both are
	// absent for sets of ManifoldK images or fewer.
	Precision *float64 `json:"precision,omitempty"`
	Recall    *float64 `json:"recall,omitempty"`
}

// Row is the measurement of one step count.
type Row struct {
	Steps int `json:"steps"`
	Metrics
	Samples [][]float32 `json:"-"` // the first Options.Grid images, each [3, H, W] in [-1, 1]
}

// Decibels is a PSNR; +Inf (identical images) is written to JSON as null.
type Decibels float64

// MarshalJSON implements json.Marshaler.
func (d Decibels) MarshalJSON() ([]byte, error) {
	if math.IsInf(float64(d), 0) || math.IsNaN(float64(d)) {
		return []byte("null"), nil
	}
	return json.Marshal(float64(d))
}
