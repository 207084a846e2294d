package provider

import (
	"cmp"
	"slices"
)

// Helpers for the lists the data sources return.

// mapAll maps items with f. The result is never nil, so an empty answer is an
// empty list in Terraform rather than null.
func mapAll[T, U any](items []T, f func(T) U) []U {
	out := make([]U, 0, len(items))
	for _, item := range items {
		out = append(out, f(item))
	}
	return out
}

// byID sorts items by id, the order the list data sources promise
// (pages fetched side by side, or lists walked customer by customer, come
// in no particular order).
func byID[T any](items []T, id func(T) int64) []T {
	slices.SortStableFunc(items, func(a, b T) int { return cmp.Compare(id(a), id(b)) })
	return items
}

// filterAll keeps the items keep accepts, in order.
func filterAll[T any](items []T, keep func(T) bool) []T {
	out := make([]T, 0, len(items))
	for _, item := range items {
		if keep(item) {
			out = append(out, item)
		}
	}
	return out
}

// Descriptions shared by the list data sources.
const (
	descEmptyListIsNoError = "A filter that matches nothing gives an empty list, not an error; add a `postcondition` " +
		"(for example `length(self.%[1]s) > 0`) when the configuration needs at least one."
	descWalksEveryPage = "The API serves this list page by page; the provider fetches every page (several at a " +
		"time) and returns them all, sorted by id."
)
