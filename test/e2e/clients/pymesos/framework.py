"""A pymesos framework, using pymesos's MesosSchedulerDriver unmodified.

It subscribes to the master given as host:port, launches N command tasks (one per offer that
fits), acknowledges every status update explicitly, and exits 0 once every task has reached
TASK_FINISHED (the driver stops with failover=True, so the framework and its tasks stay for
inspection). It prints one JSON line per callback so a test can assert what the client saw; it
exits 1 on an error event or when the deadline passes.
"""

import argparse
import json
import os
import sys
import threading

from pymesos import MesosSchedulerDriver, Scheduler


def emit(**fields):
    sys.stdout.write(json.dumps(fields, sort_keys=True) + "\n")
    sys.stdout.flush()


def scalar(offer, name):
    return sum(r.scalar.value for r in offer.resources if r.name == name and r.type == "SCALAR")


class CommandTasks(Scheduler):
    def __init__(self, count, command, labels, cpus, mem):
        self.count = count
        self.command = command
        self.labels = labels
        self.cpus = cpus
        self.mem = mem
        self.launched = []
        self.finished = set()
        self.done = threading.Event()
        self.failed = None

    def registered(self, driver, framework_id, master_info):
        emit(event="REGISTERED", frameworkId=framework_id.value, master=dict(master_info))

    def reregistered(self, driver, master_info):
        emit(event="REREGISTERED", master=dict(master_info))
        # What Mesos asks of a framework after failover: implicit reconciliation, so the master
        # sends the latest state of every task it knows (REASON_RECONCILIATION, no uuid).
        driver.reconcileTasks([])
        emit(event="RECONCILE_SENT")

    def resourceOffers(self, driver, offers):
        for offer in offers:
            emit(
                event="OFFER",
                offerId=offer.id.value,
                agentId=offer.agent_id.value,
                hostname=offer.hostname,
                cpus=scalar(offer, "cpus"),
                mem=scalar(offer, "mem"),
            )
            tasks = []
            cpus, mem = scalar(offer, "cpus"), scalar(offer, "mem")
            while len(self.launched) < self.count and cpus >= self.cpus and mem >= self.mem:
                task_id = "pymesos-task-%d" % len(self.launched)
                self.launched.append(task_id)
                cpus -= self.cpus
                mem -= self.mem
                tasks.append(
                    dict(
                        task_id=dict(value=task_id),
                        agent_id=dict(value=offer.agent_id.value),
                        name=task_id,
                        resources=[
                            dict(name="cpus", type="SCALAR", scalar=dict(value=self.cpus)),
                            dict(name="mem", type="SCALAR", scalar=dict(value=self.mem)),
                        ],
                        command=dict(shell=True, value=self.command),
                        labels=dict(labels=[dict(key=k, value=v) for k, v in self.labels]),
                    )
                )
            if tasks:
                driver.launchTasks(offer.id, tasks)
                emit(event="LAUNCHED", offerId=offer.id.value, taskIds=[t["task_id"]["value"] for t in tasks])
            else:
                driver.declineOffer(offer.id)
                emit(event="DECLINED", offerId=offer.id.value)

    def statusUpdate(self, driver, update):
        reliable = "uuid" in update
        emit(
            event="UPDATE",
            taskId=update.task_id.value,
            state=update.state,
            agentId=update.agent_id.value if "agent_id" in update else None,
            reliable=reliable,
            reason=update.get("reason"),
        )
        if reliable:
            driver.acknowledgeStatusUpdate(update)
            emit(event="ACKNOWLEDGED", taskId=update.task_id.value, state=update.state)
        if update.state == "TASK_FINISHED":
            self.finished.add(update.task_id.value)
            if len(self.finished) >= self.count:
                self.done.set()
        elif update.state in ("TASK_FAILED", "TASK_LOST", "TASK_ERROR", "TASK_DROPPED", "TASK_KILLED"):
            self.failed = "%s %s" % (update.task_id.value, update.state)
            self.done.set()

    def error(self, driver, message):
        self.failed = "error event: %s" % message
        self.done.set()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--master", required=True, help="host:port of the Mesos master (the operator)")
    parser.add_argument("--name", default="pymesos-e2e")
    parser.add_argument("--tasks", type=int, default=5)
    parser.add_argument("--command", default="sleep 5")
    parser.add_argument("--cpus", type=float, default=0.1)
    parser.add_argument("--mem", type=float, default=32)
    parser.add_argument("--label", action="append", default=[], help="task label key=value")
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args()
    labels = [tuple(label.split("=", 1)) for label in args.label]

    sched = CommandTasks(args.tasks, args.command, labels, args.cpus, args.mem)
    framework = dict(user="root", name=args.name, hostname=os.uname()[1], failover_timeout=60)
    driver = MesosSchedulerDriver(sched, framework, args.master, use_addict=True, implicit_acknowledgements=False)
    driver.start()
    finished = sched.done.wait(args.timeout)
    # failover=True: no TEARDOWN, so the framework and its completed tasks stay for inspection.
    driver.stop(failover=True)
    driver.join()
    if not finished:
        emit(event="TIMEOUT", finished=sorted(sched.finished))
        return 1
    if sched.failed is not None:
        emit(event="FAILED", why=sched.failed)
        return 1
    emit(event="DONE", finished=sorted(sched.finished))
    return 0


if __name__ == "__main__":
    sys.exit(main())
