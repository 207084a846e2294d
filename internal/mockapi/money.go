package mockapi

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// parseMoney parses a decimal amount with at most two decimals ("253.70",
// "10", "0.5", "-1.25") into cents.
func parseMoney(s string) (int64, error) {
	orig := s
	s = strings.TrimSpace(s)
	neg := false
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		neg, s = true, rest
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" && frac == "" || hasDot && frac == "" || len(frac) > 2 || !digits(whole) || !digits(frac) {
		return 0, fmt.Errorf("mockapi: %q is not a decimal amount with at most two decimals", orig)
	}
	if whole == "" {
		whole = "0"
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > math.MaxInt64/100-100 {
		return 0, fmt.Errorf("mockapi: amount %q is out of range", orig)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	c := w*100 + f
	if neg {
		c = -c
	}
	return c, nil
}

// ValidAmount reports whether s is accepted as a balance or price by
// Options, SetBalance and SetAccountPrice (a decimal with at most two
// decimals, such as "253.70").
func ValidAmount(s string) error {
	_, err := parseMoney(s)
	return err
}

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func mustMoney(what, s string) int64 {
	c, err := parseMoney(s)
	if err != nil {
		panic(fmt.Sprintf("mockapi: invalid %s: %v", what, err))
	}
	return c
}

// formatMoney renders cents with two decimals ("253.70").
func formatMoney(c int64) string {
	sign := ""
	u := uint64(c)
	if c < 0 {
		sign = "-"
		u = uint64(-(c + 1)) + 1
	}
	return fmt.Sprintf("%s%d.%02d", sign, u/100, u%100)
}
