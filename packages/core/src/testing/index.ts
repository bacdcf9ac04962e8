// @ferry/core/testing: conformance suites every adapter runs, and the fakes core's own tests use.
export {};
