package weights

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// entry is one tensor as the header describes it, before its data is read.
type entry struct {
	name       string
	dtype      DType
	shape      []int
	begin, end int64 // data_offsets, relative to the data section
}

// parseHeader reads the JSON header strictly: one object, no duplicate keys
// at any level, string metadata values, exactly the fields dtype, shape and
// data_offsets per tensor with integer values, nothing after the object but
// whitespace (safetensors pads with spaces). It walks tokens instead of
// unmarshalling so that duplicate keys, which encoding/json would silently
// merge, are caught. Offsets are checked against the data section later.
func parseHeader(js []byte, maxTensors int) (map[string]string, []entry, error) {
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber()
	meta := map[string]string{}
	var entries []entry
	err := eachKey(dec, "header", "tensor name", func(key string) error {
		if key == metadataKey {
			return parseMetadata(dec, meta)
		}
		if len(entries) == maxTensors {
			return fmt.Errorf("weights: header lists more than %d tensors", maxTensors)
		}
		e, err := parseEntry(dec, key)
		if err != nil {
			return err
		}
		entries = append(entries, e)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, nil, errors.New("weights: invalid header JSON: data after the top-level object")
	}
	return meta, entries, nil
}

// parseMetadata reads the "__metadata__" value: an object of strings, or
// null, which is how safetensors writes "no metadata".
func parseMetadata(dec *json.Decoder, meta map[string]string) error {
	t, err := dec.Token()
	if err != nil {
		return jsonErr(err)
	}
	if t == nil {
		return nil
	}
	if t != json.Delim('{') {
		return errors.New("weights: invalid header: metadata is not an object")
	}
	return objectBody(dec, "metadata", "key", func(key string) error {
		v, err := dec.Token()
		if err != nil {
			return jsonErr(err)
		}
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("weights: metadata %q: value is not a string", key)
		}
		meta[key] = s
		return nil
	})
}

// parseEntry reads one tensor's description.
func parseEntry(dec *json.Decoder, name string) (entry, error) {
	e := entry{name: name}
	if name == "" {
		return e, errors.New("weights: empty tensor name in header")
	}
	var offsets []int64
	var hasDType, hasShape bool
	err := eachKey(dec, fmt.Sprintf("tensor %q", name), "field", func(key string) error {
		switch key {
		case "dtype":
			hasDType = true
			v, err := dec.Token()
			if err != nil {
				return jsonErr(err)
			}
			s, ok := v.(string)
			if !ok {
				return fmt.Errorf("weights: tensor %q: dtype is not a string", name)
			}
			if e.dtype, ok = parseDType(s); !ok {
				return fmt.Errorf("weights: tensor %q: unknown dtype %q (want F32, F16 or BF16)", name, s)
			}
			return nil
		case "shape":
			hasShape = true
			return intArray(dec, name, "shape", func(s string) error {
				d, err := strconv.Atoi(s)
				switch {
				case err != nil:
					return fmt.Errorf("weights: tensor %q: shape dimension %s is not an int", name, s)
				case d < 0:
					return fmt.Errorf("weights: tensor %q: negative dimension %d in shape", name, d)
				}
				e.shape = append(e.shape, d)
				return nil
			})
		case "data_offsets":
			offsets = []int64{} // present, even if empty
			return intArray(dec, name, "data_offsets", func(s string) error {
				o, err := strconv.ParseInt(s, 10, 64)
				switch {
				case err != nil:
					return fmt.Errorf("weights: tensor %q: data_offsets value %s is not an int64", name, s)
				case o < 0:
					return fmt.Errorf("weights: tensor %q: negative data_offsets value %d", name, o)
				}
				offsets = append(offsets, o)
				return nil
			})
		}
		return fmt.Errorf("weights: tensor %q: unknown field %q", name, key)
	})
	switch {
	case err != nil:
		return e, err
	case !hasDType:
		return e, fmt.Errorf("weights: tensor %q: missing dtype", name)
	case !hasShape:
		return e, fmt.Errorf("weights: tensor %q: missing shape", name)
	case offsets == nil:
		return e, fmt.Errorf("weights: tensor %q: missing data_offsets", name)
	case len(offsets) != 2:
		return e, fmt.Errorf("weights: tensor %q: data_offsets has %d values, want [begin, end]", name, len(offsets))
	}
	e.begin, e.end = offsets[0], offsets[1]
	return e, nil
}

// eachKey reads one JSON object, calling fn for each key; fn consumes the
// value. what names the object and kind its keys in errors.
func eachKey(dec *json.Decoder, what, kind string, fn func(key string) error) error {
	if err := delim(dec, '{', what+" is not an object"); err != nil {
		return err
	}
	return objectBody(dec, what, kind, fn)
}

// objectBody is eachKey after the opening brace. A repeated key is an
// error.
func objectBody(dec *json.Decoder, what, kind string, fn func(key string) error) error {
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return jsonErr(err)
		}
		key, ok := t.(string)
		if !ok {
			return syntaxErr(dec)
		}
		if seen[key] {
			return fmt.Errorf("weights: %s: duplicate %s %q", what, kind, key)
		}
		seen[key] = true
		if err := fn(key); err != nil {
			return err
		}
	}
	return delim(dec, '}', what+" is not closed")
}

// intArray reads a JSON array of integers, passing each one's text to fn.
func intArray(dec *json.Decoder, name, field string, fn func(s string) error) error {
	if err := delim(dec, '[', fmt.Sprintf("tensor %q: %s is not an array", name, field)); err != nil {
		return err
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return jsonErr(err)
		}
		n, ok := t.(json.Number)
		if !ok {
			return fmt.Errorf("weights: tensor %q: %s holds a non-number", name, field)
		}
		if err := fn(n.String()); err != nil {
			return err
		}
	}
	return delim(dec, ']', fmt.Sprintf("tensor %q: %s is not closed", name, field))
}

// delim reads the next token and requires it to be d.
func delim(dec *json.Decoder, d json.Delim, problem string) error {
	t, err := dec.Token()
	if err != nil {
		return jsonErr(err)
	}
	if t != d {
		return fmt.Errorf("weights: invalid header: %s", problem)
	}
	return nil
}

// jsonErr reports a JSON syntax error; running out of header is one too.
func jsonErr(err error) error {
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("weights: invalid header JSON: %v", err)
}

// syntaxErr reports a token the JSON grammar does not allow where it is.
func syntaxErr(dec *json.Decoder) error {
	return fmt.Errorf("weights: invalid header JSON at byte %d", dec.InputOffset())
}
