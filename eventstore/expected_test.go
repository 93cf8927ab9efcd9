package eventstore

import "testing"

func TestExpectedVersion(t *testing.T) {
	tests := []struct {
		e       ExpectedVersion
		text    string
		allows  []int64
		refuses []int64
	}{
		{Any(), "any", []int64{0, 1, 99}, nil},
		{NoStream(), "no stream", []int64{0}, []int64{1, 5}},
		{Exact(0), "no stream", []int64{0}, []int64{1}},
		{Exact(3), "version 3", []int64{3}, []int64{0, 2, 4}},
	}
	for _, tc := range tests {
		if tc.e.String() != tc.text {
			t.Errorf("String() = %q, want %q", tc.e.String(), tc.text)
		}
		for _, v := range tc.allows {
			if !tc.e.Allows(v) {
				t.Errorf("%s should allow a stream at %d", tc.e, v)
			}
		}
		for _, v := range tc.refuses {
			if tc.e.Allows(v) {
				t.Errorf("%s should refuse a stream at %d", tc.e, v)
			}
		}
	}
	if NoStream() != Exact(0) {
		t.Error("NoStream and Exact(0) differ")
	}
}
