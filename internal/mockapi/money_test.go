package mockapi

import "testing"

func TestMoney(t *testing.T) {
	good := map[string]int64{"253.70": 25370, "0": 0, "0.00": 0, "10": 1000, "10.5": 1050, ".5": 50, "-1.25": -125, " 3.10 ": 310}
	for in, want := range good {
		got, err := parseMoney(in)
		if err != nil || got != want {
			t.Errorf("parseMoney(%q) = %d, %v; want %d", in, got, err, want)
		}
		if ValidAmount(in) != nil {
			t.Errorf("ValidAmount(%q) failed", in)
		}
	}
	for _, in := range []string{"", "abc", "1.234", "1.", ".", "1,00", "--1", "+1", "1e3", "99999999999999999999"} {
		if _, err := parseMoney(in); err == nil {
			t.Errorf("parseMoney(%q) accepted", in)
		}
	}
	for c, want := range map[int64]string{0: "0.00", 5: "0.05", 25370: "253.70", -125: "-1.25", -5: "-0.05"} {
		if got := formatMoney(c); got != want {
			t.Errorf("formatMoney(%d) = %s, want %s", c, got, want)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("New with a bad balance did not panic")
		}
	}()
	New(Options{Balance: "lots"})
}
