package runner

import (
	"encoding/json"

	"github.com/founderlab/founderlab/kernel/jupyter"
)

func testMessage(typ, content string) *jupyter.Message {
	return &jupyter.Message{Header: jupyter.Header{MsgType: typ}, Content: json.RawMessage(content)}
}
