package main

import (
	"fmt"
	"strings"

	mesos "github.com/mesos/mesos-go/api/v1/lib"
)

// labelFlags collects repeatable -label key=value flags into TaskInfo.labels.
type labelFlags []mesos.Label

func (l *labelFlags) String() string { return fmt.Sprint(*l) }

func (l *labelFlags) Set(v string) error {
	key, value, ok := strings.Cut(v, "=")
	if !ok {
		return fmt.Errorf("label %q is not key=value", v)
	}
	*l = append(*l, mesos.Label{Key: key, Value: &value})
	return nil
}

func (l labelFlags) toLabels() *mesos.Labels {
	if len(l) == 0 {
		return nil
	}
	return &mesos.Labels{Labels: l}
}
