package eventstore

import (
	"sort"
	"testing"
)

func TestPositionTextSortsLikePositions(t *testing.T) {
	ps := []Position{
		{}, NewPosition(0, 1), NewPosition(1, 0), NewPosition(1, 9), NewPosition(1, 10),
		NewPosition(2, 0), NewPosition(1<<40, 3), NewPosition(1<<63, 0), NewPosition(^uint64(0), ^uint64(0)),
	}
	for i := 1; i < len(ps); i++ {
		if !ps[i-1].Before(ps[i]) || ps[i].Compare(ps[i-1]) != 1 {
			t.Errorf("%v should come before %v", ps[i-1], ps[i])
		}
		if ps[i-1].String() >= ps[i].String() {
			t.Errorf("text %s should sort before %s", ps[i-1], ps[i])
		}
	}
	texts := make([]string, len(ps))
	for i, p := range ps {
		texts[i] = p.String()
	}
	if !sort.StringsAreSorted(texts) {
		t.Error("texts are not sorted")
	}
}

func TestParsePosition(t *testing.T) {
	for _, p := range []Position{{}, NewPosition(7, 42), NewPosition(^uint64(0), 1)} {
		got, err := ParsePosition(p.String())
		if err != nil || got != p {
			t.Errorf("ParsePosition(%q) = %v, %v; want %v", p.String(), got, err, p)
		}
		var q Position
		text, _ := p.MarshalText()
		if err := q.UnmarshalText(text); err != nil || q != p {
			t.Errorf("text round trip of %v gave %v, %v", p, q, err)
		}
	}
	if p, err := ParsePosition(""); err != nil || !p.IsZero() {
		t.Errorf(`ParsePosition("") = %v, %v; want the zero position`, p, err)
	}
	for _, bad := range []string{"1", "zz000000000000000000000000000000", "000000000000000000000000000000000"} {
		if _, err := ParsePosition(bad); err == nil {
			t.Errorf("ParsePosition(%q) accepted", bad)
		}
	}
}

func FuzzParsePosition(f *testing.F) {
	f.Add("")
	f.Add(NewPosition(3, 4).String())
	f.Add("0000000000000003000000000000000g")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePosition(s)
		if err != nil {
			return
		}
		again, err := ParsePosition(p.String())
		if err != nil || again != p {
			t.Fatalf("%q parsed to %v, which does not round-trip: %v, %v", s, p, again, err)
		}
	})
}
