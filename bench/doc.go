// Package bench measures eventspec's event package side by side with
// go-ethereum's event package and with a hand-written channel-send floor.
//
// It lives in its own module so that the main module never depends on
// go-ethereum; go-ethereum is used here only as a benchmark baseline. Every
// benchmark runs three sub-benchmarks that differ only in the last name
// element: impl=eventspec, impl=geth and impl=floor. Run bench/run.sh for the
// report with medians, ratios and the target checks.
package bench
