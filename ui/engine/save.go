package engine

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"flowsphere/weights"
)

// save hands the EMA weights to the user as a weight file in F16 and stores the whole state.
func (e *Engine) save() error {
	h := e.opts.Host
	if h == nil {
		return errors.New("nowhere to save to: the app has no host")
	}
	if err := e.syncEMA(); err != nil {
		return err
	}
	m, meta := e.model, map[string]string{"base": e.snap.Model}
	name := strings.TrimSuffix(e.snap.Model, weights.Ext) + weights.Ext
	if tr := e.ft.tr; tr != nil {
		name = fmt.Sprintf("finetuned-%s-%d%s", tr.Data.Name, tr.Step, weights.Ext)
		meta["dataset"], meta["steps"], meta["weights"] = tr.Data.Name, strconv.Itoa(tr.Step), "ema"
	}
	f, err := m.ToFile(e.b, m.Params.Values, meta)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := weights.Write(&buf, f, weights.F16); err != nil {
		return err
	}
	if err := h.Download(name, buf.Bytes()); err != nil {
		return fmt.Errorf("saving %s: %w", name, err)
	}
	e.snap.Saved = name
	e.note = fmt.Sprintf("saved %s (%d kB)", name, buf.Len()/1000)
	return e.persist()
}
