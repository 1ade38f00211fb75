package engine

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"flowsphere/model/data"
	"flowsphere/weights"
)

// zstdMagic starts every zstd frame, so every weight file; no image format starts so.
var zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}

// isWeightFile tells weight files from images by name or by content.
func isWeightFile(f File) bool {
	return strings.HasSuffix(strings.ToLower(f.Name), weights.Ext) || bytes.HasPrefix(f.Data, zstdMagic)
}

// drop handles files dropped on the canvas or picked with the page's file input: a weight
// file is loaded as the model, the rest are added as fine-tune images.
func (e *Engine) drop(files []File) error {
	var images []File
	var errs []error
	for _, f := range files {
		if isWeightFile(f) {
			errs = append(errs, e.loadUserWeights(f.Name, f.Data))
		} else {
			images = append(images, f)
		}
	}
	if len(images) > 0 {
		errs = append(errs, e.addFiles(images))
	}
	return errors.Join(errs...)
}

// addFiles decodes files at the model's image size and adds them to the fine-tune images.
// A file that is not a usable image is skipped and named in the error; the others are
// added.
func (e *Engine) addFiles(files []File) error {
	if e.model == nil {
		return errors.New("no model loaded yet")
	}
	ft := &e.ft
	var added []data.Image
	var errs []error
	for _, f := range files {
		pix, err := data.DecodeImage(bytes.NewReader(f.Data), ft.size)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", f.Name, err))
			continue
		}
		im := data.Image{Pixels: make([]uint8, len(pix)), Label: -1}
		for i, v := range pix {
			im.Pixels[i] = toByte(v)
		}
		added = append(added, im)
	}
	if room := maxImages - len(ft.images); len(added) > room {
		errs = append(errs, fmt.Errorf("%d images left out: the app keeps at most %d", len(added)-room, maxImages))
		added = added[:room]
	}
	if len(added) > 0 {
		ft.add(added)
		ft.dirty = true
		e.note = fmt.Sprintf("fine-tune images: %d", len(ft.images))
	}
	return errors.Join(errs...)
}
