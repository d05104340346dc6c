package suggest

import "testing"

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "", 3}, {"web", "wbe", 1}, {"kitten", "sitting", 3},
		{"eu-west-9", "eu-west-3", 1}, {"rootdisk", "rootdisk", 0}, {"ca", "abc", 3},
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestClosest(t *testing.T) {
	tests := []struct {
		s          string
		candidates []string
		want       string
	}{
		{"rootdisk", []string{"contract", "rootDisk"}, "rootDisk"},
		{"eu-west-9", []string{"eu-west-3", "us-east-1", "eu-west-2"}, "eu-west-3"},
		{"wbe", []string{"db", "web"}, "web"},
		{"huge", []string{"lsw.m5a.large"}, ""},
		{"x", []string{"y"}, ""}, // one edit, but nothing of the word is left
		{"image", []string{}, ""},
	}
	for _, tt := range tests {
		got, ok := Closest(tt.s, tt.candidates)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("Closest(%q) = %q, %v; want %q", tt.s, got, ok, tt.want)
		}
	}
}
