package ui

import (
	"fmt"
	"io/fs"
	"path"

	"github.com/hajimehoshi/ebiten/v2"
)

// maxDropBytes bounds a dropped file read into memory: far above any weight file or photo,
// far below what would take a browser tab down.
const maxDropBytes = 512 << 20

// dropped hands files dropped on the window to the app. Reading them may wait on the
// browser (File.arrayBuffer), so it happens on a goroutine of its own, never in Update.
func (g *game) dropped() {
	if fsys := ebiten.DroppedFiles(); fsys != nil {
		go readDropped(fsys, g.app)
	}
}

// readDropped reads every file under fsys (folders are walked) and drops them on the app.
func readDropped(fsys fs.FS, app *App) {
	var files []File
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.Size() > maxDropBytes {
			return fmt.Errorf("%s: %d MB is more than the %d MB the app reads", p, info.Size()>>20, maxDropBytes>>20)
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		files = append(files, File{Name: path.Base(p), Data: data})
		return nil
	})
	if len(files) > 0 {
		app.Drop(files)
	}
	if err != nil {
		app.Fail(fmt.Errorf("reading the dropped files: %w", err))
	}
}
