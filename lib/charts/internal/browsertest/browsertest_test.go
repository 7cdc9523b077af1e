package browsertest

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"
)

func TestLocal(t *testing.T) {
	tests := []struct {
		url  string
		want bool
	}{
		{"http://127.0.0.1:8080/x.js", true},
		{"http://127.5.6.7/x", true},
		{"http://localhost:9/x", true},
		{"http://[::1]:80/", true},
		{"file:///tmp/a.html", true},
		{"data:image/png;base64,AAAA", true},
		{"blob:http://127.0.0.1/abc", true},
		{"about:blank", true},
		{"https://cdn.jsdelivr.net/npm/echarts@5.4.3/dist/echarts.min.js", false},
		{"http://10.0.0.1/x", false},
		{"http://localhost.example.com/x", false},
		{"ftp://127.0.0.1/x", false},
		{"::not a url", false},
	}
	for _, tt := range tests {
		if got := Local(tt.url); got != tt.want {
			t.Errorf("Local(%q) = %v, want %v", tt.url, got, tt.want)
		}
	}
}

func TestInk(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 10, 10))
	for y := 0; y < 10; y++ {
		for x := 0; x < 10; x++ {
			img.Set(x, y, color.White)
		}
	}
	img.Set(1, 1, color.Black)
	img.Set(2, 2, color.RGBA{200, 250, 255, 255}) // clearly not white
	img.Set(3, 3, color.RGBA{250, 250, 250, 255}) // nearly white: not ink
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	n, err := Ink(buf.Bytes())
	if err != nil || n != 2 {
		t.Fatalf("Ink = %d, %v; want 2", n, err)
	}
	if _, err := Ink([]byte("not a png")); err == nil {
		t.Error("Ink accepted a non-PNG")
	}
}
