// A small scheduler written against mesos-go's v1 HTTP scheduler client (httpcli + httpsched,
// the JSON codec or, with -codec default, the library's default protobuf codec), used unmodified: it subscribes, accepts one offer with a LAUNCH of a command task,
// acknowledges every status update and exits 0 once the task has been seen TASK_RUNNING (and that
// update acknowledged) — or, with -kill-after-running, once it has also reconciled the task
// explicitly and killed it (TASK_KILLED). It prints one JSON line per event, and one per HTTP
// exchange (content types and status), so the e2e test can assert what the client itself saw.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"time"

	mesos "github.com/mesos/mesos-go/api/v1/lib"
	"github.com/mesos/mesos-go/api/v1/lib/encoding/codecs"
	"github.com/mesos/mesos-go/api/v1/lib/httpcli"
	"github.com/mesos/mesos-go/api/v1/lib/httpcli/httpsched"
	"github.com/mesos/mesos-go/api/v1/lib/scheduler"
	"github.com/mesos/mesos-go/api/v1/lib/scheduler/calls"
)

func emit(fields map[string]interface{}) {
	line, _ := json.Marshal(fields)
	fmt.Println(string(line))
}

func fail(stage string, err error) {
	emit(map[string]interface{}{"event": "FATAL", "stage": stage, "error": err.Error()})
	os.Exit(1)
}

func scalar(name string, value float64) mesos.Resource {
	return mesos.Resource{Name: name, Type: mesos.SCALAR.Enum(), Scalar: &mesos.Value_Scalar{Value: value}}
}

func scalarIn(offer *mesos.Offer, name string) float64 {
	total := 0.0
	for _, r := range offer.GetResources() {
		if r.GetName() == name && r.GetType() == mesos.SCALAR {
			total += r.GetScalar().GetValue()
		}
	}
	return total
}

func main() {
	endpoint := flag.String("url", "http://127.0.0.1:5050/api/v1/scheduler", "Mesos scheduler API endpoint")
	name := flag.String("name", "mesos-go-e2e", "framework name")
	taskID := flag.String("task-id", "mesos-go-task-1", "id of the task to launch")
	command := flag.String("command", "sleep 30", "shell command of the task")
	timeout := flag.Duration("timeout", 90*time.Second, "give up after this long")
	killAfterRunning := flag.Bool("kill-after-running", false, "after TASK_RUNNING, reconcile the task, then kill it and wait for TASK_KILLED")
	codec := flag.String("codec", "json", "json: select the JSON codec; default: the library's default (protobuf)")
	var labels labelFlags
	flag.Var(&labels, "label", "task label key=value (repeatable)")
	flag.Parse()

	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()

	opts := []httpcli.Opt{
		httpcli.Endpoint(*endpoint),
		httpcli.Do(httpcli.With(httpcli.Timeout(10 * time.Second))),
		// Report each exchange's content types: which codec really went over the wire.
		httpcli.WrapDoer(func(do httpcli.DoFunc) httpcli.DoFunc {
			return func(req *http.Request) (*http.Response, error) {
				res, err := do(req)
				line := map[string]interface{}{
					"event": "HTTP", "contentType": req.Header.Get("Content-Type"), "accept": req.Header.Get("Accept"),
				}
				if res != nil {
					line["status"] = res.StatusCode
					line["responseContentType"] = res.Header.Get("Content-Type")
				}
				emit(line)
				return res, err
			}
		}),
	}
	switch *codec {
	case "json":
		opts = append(opts, httpcli.Codec(codecs.ByMediaType[codecs.MediaTypeJSON]))
	case "default":
		// httpcli.DefaultCodec: protobuf.
	default:
		fail("flags", fmt.Errorf("unknown -codec %q", *codec))
	}
	cli := httpcli.New(opts...)
	caller := httpsched.NewCaller(cli)

	failover := 60.0
	info := &mesos.FrameworkInfo{User: "root", Name: *name, FailoverTimeout: &failover}
	resp, err := caller.Call(ctx, calls.Subscribe(info))
	if err != nil {
		fail("subscribe", err)
	}
	defer resp.Close()

	var frameworkID string
	launched := false
	phase := "launched"
	call := func(stage string, c *scheduler.Call) {
		r, err := caller.Call(ctx, c.With(calls.Framework(frameworkID)))
		if r != nil {
			r.Close()
		}
		if err != nil {
			fail(stage, err)
		}
	}
	for {
		var e scheduler.Event
		if err := resp.Decode(&e); err != nil {
			fail("decode", err)
		}
		switch e.GetType() {
		case scheduler.Event_SUBSCRIBED:
			s := e.GetSubscribed()
			frameworkID = s.GetFrameworkID().GetValue()
			emit(map[string]interface{}{
				"event":             "SUBSCRIBED",
				"frameworkId":       frameworkID,
				"heartbeatInterval": s.GetHeartbeatIntervalSeconds(),
				"masterId":          s.GetMasterInfo().GetID(),
			})
		case scheduler.Event_OFFERS:
			for _, offer := range e.GetOffers().GetOffers() {
				offer := offer
				emit(map[string]interface{}{
					"event": "OFFER", "offerId": offer.ID.Value, "agentId": offer.AgentID.Value,
					"hostname": offer.GetHostname(), "cpus": scalarIn(&offer, "cpus"), "mem": scalarIn(&offer, "mem"),
				})
				if launched || scalarIn(&offer, "cpus") < 0.1 || scalarIn(&offer, "mem") < 32 {
					call("decline", calls.Decline(offer.GetID()))
					continue
				}
				shell := true
				task := mesos.TaskInfo{
					Name:      *taskID,
					TaskID:    mesos.TaskID{Value: *taskID},
					AgentID:   offer.GetAgentID(),
					Resources: []mesos.Resource{scalar("cpus", 0.1), scalar("mem", 32)},
					Command:   &mesos.CommandInfo{Shell: &shell, Value: command},
					Labels:    labels.toLabels(),
				}
				call("accept", calls.Accept(calls.OfferOperations{calls.OpLaunch(task)}.WithOffers(offer.GetID())))
				launched = true
				emit(map[string]interface{}{"event": "ACCEPTED", "offerId": offer.ID.Value, "taskId": *taskID})
			}
		case scheduler.Event_UPDATE:
			status := e.GetUpdate().GetStatus()
			uuid := status.GetUUID()
			update := map[string]interface{}{
				"event": "UPDATE", "taskId": status.TaskID.Value, "state": status.GetState().String(),
				"agentId": status.GetAgentID().GetValue(), "reliable": len(uuid) > 0,
			}
			// Unset enums read as their zero value in Go (REASON_COMMAND_EXECUTOR_FAILED, SOURCE_MASTER).
			if status.Reason != nil {
				update["reason"] = status.Reason.String()
			}
			if status.Source != nil {
				update["source"] = status.Source.String()
			}
			emit(update)
			if len(uuid) > 0 {
				call("acknowledge", calls.Acknowledge(status.GetAgentID().GetValue(), status.TaskID.Value, uuid))
				emit(map[string]interface{}{"event": "ACKNOWLEDGED", "taskId": status.TaskID.Value, "state": status.GetState().String()})
			}
			if status.TaskID.Value != *taskID {
				continue
			}
			// RUNNING (acknowledged) → explicit RECONCILE → the master's answer (no uuid,
			// REASON_RECONCILIATION) → KILL → TASK_KILLED (acknowledged) → done.
			switch {
			case phase == "launched" && status.GetState() == mesos.TASK_RUNNING:
				if !*killAfterRunning {
					emit(map[string]interface{}{"event": "DONE", "frameworkId": frameworkID})
					return
				}
				phase = "reconciling"
				agent := status.GetAgentID().GetValue()
				call("reconcile", calls.Reconcile(calls.ReconcileTasks(map[string]string{*taskID: agent})))
				emit(map[string]interface{}{"event": "RECONCILE_SENT", "taskId": *taskID})
			case phase == "reconciling" && len(uuid) == 0 && status.GetReason() == mesos.REASON_RECONCILIATION:
				phase = "killing"
				call("kill", calls.Kill(*taskID, status.GetAgentID().GetValue()))
				emit(map[string]interface{}{"event": "KILL_SENT", "taskId": *taskID})
			case phase == "killing" && status.GetState() == mesos.TASK_KILLED:
				emit(map[string]interface{}{"event": "DONE", "frameworkId": frameworkID})
				return
			}
		case scheduler.Event_ERROR:
			fail("error-event", fmt.Errorf("%s", e.GetError().GetMessage()))
		case scheduler.Event_HEARTBEAT:
			emit(map[string]interface{}{"event": "HEARTBEAT"})
		default:
			emit(map[string]interface{}{"event": e.GetType().String()})
		}
	}
}
