package tensorboard

import (
	"fmt"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"
)

// schema holds the message descriptors of the Event and Summary protocol
// buffers, restricted to the fields this package writes and reads. The
// field numbers are TensorBoard's (tensorboard/compat/proto/event.proto and
// summary.proto); unknown fields in files written by others are skipped by
// the protobuf decoder.
type schema struct {
	event, summary, value protoreflect.MessageDescriptor
	// Fields, looked up once.
	wallTime, step, fileVersion, summaryField protoreflect.FieldDescriptor
	values, tag, simpleValue                  protoreflect.FieldDescriptor
}

func field(name string, number int32, typ descriptorpb.FieldDescriptorProto_Type, label descriptorpb.FieldDescriptorProto_Label, typeName string, oneof *int32) *descriptorpb.FieldDescriptorProto {
	f := &descriptorpb.FieldDescriptorProto{
		Name:       proto.String(name),
		JsonName:   proto.String(name),
		Number:     proto.Int32(number),
		Type:       typ.Enum(),
		Label:      label.Enum(),
		OneofIndex: oneof,
	}
	if typeName != "" {
		f.TypeName = proto.String(typeName)
	}
	return f
}

func newSchema() (*schema, error) {
	const (
		optional = descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL
		repeated = descriptorpb.FieldDescriptorProto_LABEL_REPEATED
	)
	first := proto.Int32(0)
	fd := &descriptorpb.FileDescriptorProto{
		Name:    proto.String("founderlab/tensorboard/event.proto"),
		Package: proto.String("tensorboard"),
		Syntax:  proto.String("proto3"),
		MessageType: []*descriptorpb.DescriptorProto{
			{
				Name: proto.String("Summary"),
				Field: []*descriptorpb.FieldDescriptorProto{
					field("value", 1, descriptorpb.FieldDescriptorProto_TYPE_MESSAGE, repeated, ".tensorboard.Summary.Value", nil),
				},
				NestedType: []*descriptorpb.DescriptorProto{{
					Name: proto.String("Value"),
					Field: []*descriptorpb.FieldDescriptorProto{
						field("tag", 1, descriptorpb.FieldDescriptorProto_TYPE_STRING, optional, "", nil),
						field("simple_value", 2, descriptorpb.FieldDescriptorProto_TYPE_FLOAT, optional, "", first),
					},
					OneofDecl: []*descriptorpb.OneofDescriptorProto{{Name: proto.String("value")}},
				}},
			},
			{
				Name: proto.String("Event"),
				Field: []*descriptorpb.FieldDescriptorProto{
					field("wall_time", 1, descriptorpb.FieldDescriptorProto_TYPE_DOUBLE, optional, "", nil),
					field("step", 2, descriptorpb.FieldDescriptorProto_TYPE_INT64, optional, "", nil),
					field("file_version", 3, descriptorpb.FieldDescriptorProto_TYPE_STRING, optional, "", first),
					field("summary", 5, descriptorpb.FieldDescriptorProto_TYPE_MESSAGE, optional, ".tensorboard.Summary", first),
				},
				OneofDecl: []*descriptorpb.OneofDescriptorProto{{Name: proto.String("what")}},
			},
		},
	}
	file, err := protodesc.NewFile(fd, nil)
	if err != nil {
		return nil, fmt.Errorf("tensorboard: event schema: %w", err)
	}
	s := &schema{
		event:   file.Messages().ByName("Event"),
		summary: file.Messages().ByName("Summary"),
	}
	s.value = s.summary.Messages().ByName("Value")
	ef, sf, vf := s.event.Fields(), s.summary.Fields(), s.value.Fields()
	s.wallTime, s.step, s.fileVersion, s.summaryField = ef.ByNumber(1), ef.ByNumber(2), ef.ByNumber(3), ef.ByNumber(5)
	s.values, s.tag, s.simpleValue = sf.ByNumber(1), vf.ByNumber(1), vf.ByNumber(2)
	return s, nil
}

// versionEvent is the first record of every event file.
func (s *schema) versionEvent(wall float64) ([]byte, error) {
	ev := dynamicpb.NewMessage(s.event)
	ev.Set(s.wallTime, protoreflect.ValueOfFloat64(wall))
	ev.Set(s.fileVersion, protoreflect.ValueOfString(fileVersion))
	return proto.Marshal(ev)
}

// scalarEvent encodes one Event holding the given tagged scalars.
func (s *schema) scalarEvent(wall float64, step int64, tags []string, values []float64) ([]byte, error) {
	sum := dynamicpb.NewMessage(s.summary)
	list := sum.Mutable(s.values).List()
	for i, tag := range tags {
		v := dynamicpb.NewMessage(s.value)
		v.Set(s.tag, protoreflect.ValueOfString(tag))
		v.Set(s.simpleValue, protoreflect.ValueOfFloat32(float32(values[i])))
		list.Append(protoreflect.ValueOfMessage(v))
	}
	ev := dynamicpb.NewMessage(s.event)
	ev.Set(s.wallTime, protoreflect.ValueOfFloat64(wall))
	ev.Set(s.step, protoreflect.ValueOfInt64(step))
	ev.Set(s.summaryField, protoreflect.ValueOfMessage(sum))
	return proto.MarshalOptions{Deterministic: true}.Marshal(ev)
}

// decode appends the scalars of one serialized Event to out.
func (s *schema) decode(data []byte, out []Scalar) ([]Scalar, error) {
	ev := dynamicpb.NewMessage(s.event)
	if err := proto.Unmarshal(data, ev); err != nil {
		return out, err
	}
	if !ev.Has(s.summaryField) {
		return out, nil
	}
	wall := ev.Get(s.wallTime).Float()
	step := ev.Get(s.step).Int()
	list := ev.Get(s.summaryField).Message().Get(s.values).List()
	for i := 0; i < list.Len(); i++ {
		v := list.Get(i).Message()
		if !v.Has(s.simpleValue) {
			continue
		}
		out = append(out, Scalar{
			Tag:   v.Get(s.tag).String(),
			Step:  step,
			Wall:  wall,
			Value: v.Get(s.simpleValue).Float(),
		})
	}
	return out, nil
}
