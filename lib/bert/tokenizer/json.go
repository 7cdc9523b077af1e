package tokenizer

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// The subset of Hugging Face's tokenizer.json that BERT tokenizers use.
type jsonFile struct {
	Truncation *struct {
		Direction string `json:"direction"`
		MaxLength int    `json:"max_length"`
		Strategy  string `json:"strategy"`
		Stride    int    `json:"stride"`
	} `json:"truncation"`
	Padding *struct {
		Strategy      json.RawMessage `json:"strategy"`
		Direction     string          `json:"direction"`
		PadToMultiple *int            `json:"pad_to_multiple_of"`
		PadID         int             `json:"pad_id"`
		PadTypeID     int             `json:"pad_type_id"`
		PadToken      string          `json:"pad_token"`
	} `json:"padding"`
	AddedTokens []struct {
		ID         int    `json:"id"`
		Content    string `json:"content"`
		SingleWord bool   `json:"single_word"`
		LStrip     bool   `json:"lstrip"`
		RStrip     bool   `json:"rstrip"`
		Normalized bool   `json:"normalized"`
		Special    bool   `json:"special"`
	} `json:"added_tokens"`
	Normalizer *struct {
		Type               string `json:"type"`
		CleanText          *bool  `json:"clean_text"`
		HandleChineseChars *bool  `json:"handle_chinese_chars"`
		StripAccents       *bool  `json:"strip_accents"`
		Lowercase          *bool  `json:"lowercase"`
	} `json:"normalizer"`
	PreTokenizer *struct {
		Type string `json:"type"`
	} `json:"pre_tokenizer"`
	PostProcessor *struct {
		Type   string          `json:"type"`
		Single []jsonPiece     `json:"single"`
		Pair   []jsonPiece     `json:"pair"`
		Sep    json.RawMessage `json:"sep"`
		Cls    json.RawMessage `json:"cls"`
		// TemplateProcessing's special tokens: name → ids.
		SpecialTokens map[string]struct {
			IDs []int `json:"ids"`
		} `json:"special_tokens"`
	} `json:"post_processor"`
	Decoder *struct {
		Type    string `json:"type"`
		Prefix  string `json:"prefix"`
		Cleanup *bool  `json:"cleanup"`
	} `json:"decoder"`
	Model struct {
		Type                    string         `json:"type"`
		UnkToken                string         `json:"unk_token"`
		ContinuingSubwordPrefix *string        `json:"continuing_subword_prefix"`
		MaxInputCharsPerWord    *int           `json:"max_input_chars_per_word"`
		Vocab                   map[string]int `json:"vocab"`
	} `json:"model"`
}

type jsonPiece struct {
	SpecialToken *struct {
		ID     string `json:"id"`
		TypeID int    `json:"type_id"`
	} `json:"SpecialToken"`
	Sequence *struct {
		ID     string `json:"id"`
		TypeID int    `json:"type_id"`
	} `json:"Sequence"`
}

// ReadJSON reads a Hugging Face tokenizer.json describing a BERT tokenizer:
// a WordPiece model, a BertNormalizer (or none), a BertPreTokenizer, a
// TemplateProcessing or BertProcessing post-processor (or none), a WordPiece
// decoder, added tokens, and truncation and padding settings. Anything else
// (another model or normalizer, added tokens with lstrip, rstrip or
// single_word) is an error naming the unsupported part, rather than a
// tokenizer that silently differs from the reference. Truncation's stride is
// accepted but no overflowing windows are produced. The file must hold one
// JSON value and nothing after it; ids must be ids of the tokenizer and a
// fixed padding at most [MaxPadding] (see [New]).
func ReadJSON(r io.Reader) (*Tokenizer, error) {
	t, err := readJSON(r)
	if err != nil {
		return nil, fmt.Errorf("tokenizer: tokenizer.json: %w", err)
	}
	return t, nil
}

// LoadJSON reads the tokenizer.json file at path (see ReadJSON).
func LoadJSON(path string) (*Tokenizer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("tokenizer: %w", err)
	}
	defer f.Close()
	t, err := readJSON(f)
	if err != nil {
		return nil, fmt.Errorf("tokenizer: %s: %w", path, err)
	}
	return t, nil
}

func readJSON(r io.Reader) (*Tokenizer, error) {
	var f jsonFile
	dec := json.NewDecoder(r)
	if err := dec.Decode(&f); err != nil {
		return nil, err
	}
	// One value, then only white space: trailing bytes mean a damaged or
	// concatenated file.
	end := dec.InputOffset()
	if tok, err := dec.Token(); err != io.EOF {
		what := fmt.Sprintf("%v", tok)
		if err != nil {
			what = err.Error()
		}
		return nil, fmt.Errorf("data after the JSON value (from byte %d): %s", end, what)
	}
	return fromJSON(&f)
}

func fromJSON(f *jsonFile) (*Tokenizer, error) {
	m := f.Model
	if m.Type != "WordPiece" {
		return nil, fmt.Errorf("model type %q is not supported (want WordPiece)", m.Type)
	}
	if len(m.Vocab) == 0 {
		return nil, fmt.Errorf("model has an empty vocab")
	}
	vocab, err := vocabFromMap(m.Vocab)
	if err != nil {
		return nil, fmt.Errorf("model vocab: %w", err)
	}
	cfg := Config{
		UnkToken:             m.UnkToken,
		ContinuingPrefix:     "##",
		MaxInputCharsPerWord: 100,
		AddSpecialTokens:     true,
		DecodeCleanup:        true,
	}
	if m.ContinuingSubwordPrefix != nil {
		cfg.ContinuingPrefix = *m.ContinuingSubwordPrefix
	}
	if m.MaxInputCharsPerWord != nil {
		cfg.MaxInputCharsPerWord = *m.MaxInputCharsPerWord
	}
	if n := f.Normalizer; n != nil {
		if n.Type != "BertNormalizer" {
			return nil, fmt.Errorf("normalizer type %q is not supported (want BertNormalizer)", n.Type)
		}
		opt := func(p *bool, def bool) bool {
			if p == nil {
				return def
			}
			return *p
		}
		cfg.Normalizer.CleanText = opt(n.CleanText, true)
		cfg.Normalizer.HandleChineseChars = opt(n.HandleChineseChars, true)
		cfg.Normalizer.Lowercase = opt(n.Lowercase, true)
		cfg.Normalizer.StripAccents = opt(n.StripAccents, cfg.Normalizer.Lowercase)
	}
	if p := f.PreTokenizer; p == nil || p.Type != "BertPreTokenizer" {
		typ := "none"
		if p != nil {
			typ = fmt.Sprintf("%q", p.Type)
		}
		return nil, fmt.Errorf("pre_tokenizer %s is not supported (want BertPreTokenizer)", typ)
	}
	for _, a := range f.AddedTokens {
		if a.ID < 0 {
			return nil, fmt.Errorf("added token %q has negative id %d", a.Content, a.ID)
		}
		if a.LStrip || a.RStrip || a.SingleWord {
			return nil, fmt.Errorf("added token %q: lstrip, rstrip and single_word are not supported", a.Content)
		}
		cfg.AddedTokens = append(cfg.AddedTokens, AddedToken{ID: a.ID, Content: a.Content, Special: a.Special, Normalized: a.Normalized})
	}
	if p := f.PostProcessor; p != nil {
		switch p.Type {
		case "TemplateProcessing":
			cfg.Template.SpecialIDs = map[string][]int{}
			for name, st := range p.SpecialTokens {
				for _, id := range st.IDs {
					if id < 0 {
						return nil, fmt.Errorf("post_processor: special token %q has negative id %d", name, id)
					}
				}
				cfg.Template.SpecialIDs[name] = st.IDs
			}
			for _, side := range []struct {
				in  []jsonPiece
				out *[]TemplatePiece
			}{{p.Single, &cfg.Template.Single}, {p.Pair, &cfg.Template.Pair}} {
				for _, jp := range side.in {
					switch {
					case jp.SpecialToken != nil:
						*side.out = append(*side.out, TemplatePiece{Special: jp.SpecialToken.ID, TypeID: jp.SpecialToken.TypeID})
					case jp.Sequence != nil && (jp.Sequence.ID == "A" || jp.Sequence.ID == "B"):
						seq := 0
						if jp.Sequence.ID == "B" {
							seq = 1
						}
						*side.out = append(*side.out, TemplatePiece{Sequence: seq, TypeID: jp.Sequence.TypeID})
					default:
						return nil, fmt.Errorf("post_processor: unsupported template piece")
					}
				}
			}
		case "BertProcessing":
			var sep, cls struct {
				tok string
				id  int
			}
			for _, x := range []struct {
				raw json.RawMessage
				dst *struct {
					tok string
					id  int
				}
			}{{p.Sep, &sep}, {p.Cls, &cls}} {
				var pair []json.RawMessage
				if err := json.Unmarshal(x.raw, &pair); err != nil || len(pair) != 2 {
					return nil, fmt.Errorf("post_processor BertProcessing: want [token, id] pairs")
				}
				if err := json.Unmarshal(pair[0], &x.dst.tok); err != nil {
					return nil, fmt.Errorf("post_processor BertProcessing: %w", err)
				}
				if err := json.Unmarshal(pair[1], &x.dst.id); err != nil {
					return nil, fmt.Errorf("post_processor BertProcessing: %w", err)
				}
				if x.dst.id < 0 {
					return nil, fmt.Errorf("post_processor BertProcessing: token %q has negative id %d", x.dst.tok, x.dst.id)
				}
			}
			cfg.Template = BertTemplate(cls.tok, cls.id, sep.tok, sep.id)
		default:
			return nil, fmt.Errorf("post_processor type %q is not supported", p.Type)
		}
	} else {
		cfg.Template = Template{Single: []TemplatePiece{{Sequence: 0}}, Pair: []TemplatePiece{{Sequence: 0}, {Sequence: 1, TypeID: 1}}}
	}
	if d := f.Decoder; d != nil {
		if d.Type != "WordPiece" {
			return nil, fmt.Errorf("decoder type %q is not supported (want WordPiece)", d.Type)
		}
		if d.Cleanup != nil {
			cfg.DecodeCleanup = *d.Cleanup
		}
	}
	dir := func(s string) (Direction, error) {
		switch s {
		case "", "Right":
			return Right, nil
		case "Left":
			return Left, nil
		}
		return Right, fmt.Errorf("direction %q (want Right or Left)", s)
	}
	if tr := f.Truncation; tr != nil {
		d, err := dir(tr.Direction)
		if err != nil {
			return nil, fmt.Errorf("truncation: %w", err)
		}
		c := &Truncation{MaxLength: tr.MaxLength, Direction: d}
		switch tr.Strategy {
		case "LongestFirst", "":
			c.Strategy = LongestFirst
		case "OnlyFirst":
			c.Strategy = OnlyFirst
		case "OnlySecond":
			c.Strategy = OnlySecond
		default:
			return nil, fmt.Errorf("truncation strategy %q is not supported", tr.Strategy)
		}
		cfg.Truncation = c
	}
	if p := f.Padding; p != nil {
		d, err := dir(p.Direction)
		if err != nil {
			return nil, fmt.Errorf("padding: %w", err)
		}
		c := &Padding{Direction: d, ID: p.PadID, TypeID: p.PadTypeID, Token: p.PadToken}
		if p.PadToMultiple != nil {
			c.MultipleOf = *p.PadToMultiple
		}
		var name string
		var fixed struct {
			Fixed *int `json:"Fixed"`
		}
		switch {
		case json.Unmarshal(p.Strategy, &name) == nil && name == "BatchLongest":
		case json.Unmarshal(p.Strategy, &fixed) == nil && fixed.Fixed != nil && *fixed.Fixed > 0:
			c.Length = *fixed.Fixed
		default:
			return nil, fmt.Errorf("padding strategy %s is not supported", p.Strategy)
		}
		cfg.Padding = c
	}
	return build(vocab, cfg)
}
