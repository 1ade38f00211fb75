package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// scheduleFile keeps a run's intervals in its output folder.
const scheduleFile = "run.json"

// schedule is how often a run logs, samples and saves, and how it exports its weight files
// (prior and loops). The run writes it to scheduleFile, so that -resume continues with the
// run's own settings instead of the flags' defaults.
type schedule struct {
	LogEvery        int `json:"log_every"`
	SampleEvery     int `json:"sample_every"`
	CheckpointEvery int `json:"checkpoint_every"`
	SnapshotEvery   int `json:"snapshot_every"`
	// Export settings; a file from before they existed leaves the flags' values.
	Prior       *int     `json:"prior,omitempty"`
	PriorImages *int     `json:"prior_images,omitempty"`
	Temperature *float64 `json:"temperature,omitempty"`
	Loops       *int     `json:"loops,omitempty"`
}

// keepSchedule takes the intervals of a resumed run from its scheduleFile, where the command
// line does not set them, and writes the intervals f runs with back to the folder.
func keepSchedule(f *flags) error {
	path := filepath.Join(f.out, scheduleFile)
	if f.resume {
		data, err := os.ReadFile(path)
		switch {
		case errors.Is(err, fs.ErrNotExist): // a run from before the file existed
		case err != nil:
			return err
		default:
			var s schedule
			if err := json.Unmarshal(data, &s); err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			if s.LogEvery <= 0 || s.SampleEvery <= 0 || s.CheckpointEvery <= 0 || s.SnapshotEvery < 0 {
				return fmt.Errorf("%s: intervals %+v are not positive", path, s)
			}
			for name, p := range map[string]struct{ saved, dst *int }{
				"log-every": {&s.LogEvery, &f.logEvery}, "sample-every": {&s.SampleEvery, &f.sampleEvery},
				"checkpoint-every": {&s.CheckpointEvery, &f.ckptEvery}, "snapshot-every": {&s.SnapshotEvery, &f.snapshotEvery},
				"prior": {s.Prior, &f.prior}, "prior-images": {s.PriorImages, &f.priorImages}, "loops": {s.Loops, &f.loops},
			} {
				if !f.given[name] && p.saved != nil {
					*p.dst = *p.saved
				}
			}
			if !f.given["temperature"] && s.Temperature != nil {
				f.temperature = *s.Temperature
			}
		}
	}
	data, err := json.MarshalIndent(schedule{f.logEvery, f.sampleEvery, f.ckptEvery, f.snapshotEvery,
		&f.prior, &f.priorImages, &f.temperature, &f.loops}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}
