package clocale

import "testing"

func TestNormalize(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		want map[string]string // what is set
	}{
		{map[string]string{"LANG": "C.UTF-8"}, map[string]string{"LC_MESSAGES": "C"}},
		{map[string]string{"LANG": "POSIX@euro"}, map[string]string{"LC_MESSAGES": "POSIX"}},
		{map[string]string{"LC_ALL": "C.utf8", "LANG": "de_DE.UTF-8"}, map[string]string{"LC_ALL": "C"}},
		{map[string]string{"LC_MESSAGES": "C.UTF-8"}, map[string]string{"LC_MESSAGES": "C"}},
		{map[string]string{"LANG": "C"}, nil},
		{map[string]string{"LANG": "de_DE.UTF-8"}, nil},
		{map[string]string{"LC_MESSAGES": "en_GB.UTF-8", "LANG": "C.UTF-8"}, nil},
		{map[string]string{}, nil},
	} {
		set := map[string]string{}
		Normalize(func(k string) string { return c.env[k] },
			func(k, v string) error { set[k] = v; return nil })
		if len(set) != len(c.want) {
			t.Errorf("%v: set %v, want %v", c.env, set, c.want)
			continue
		}
		for k, v := range c.want {
			if set[k] != v {
				t.Errorf("%v: set %v, want %v", c.env, set, c.want)
			}
		}
	}
}
