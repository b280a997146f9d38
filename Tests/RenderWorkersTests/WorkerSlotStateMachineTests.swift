// Every transition of `WorkerSlotStateMachine`, without processes, pipes or waiting: events go
// in with made-up pids and instants, and the actions and states that come out are checked.

import Foundation
import Testing

@testable import RenderWorkers

struct WorkerSlotStateMachineTests {
    typealias Machine = WorkerSlotStateMachine
    typealias Worker = WorkerSlotStateMachine.Worker

    let t0 = ContinuousClock.now
    let timeout = Duration.seconds(30)
    let frame = 1000

    func at(_ seconds: Double) -> ContinuousClock.Instant { t0 + .milliseconds(Int(seconds * 1000)) }

    /// A started machine with worker 100 ready since t0.
    func ready() -> Machine {
        var m = Machine(timeout: timeout)
        #expect(m.start() == [.spawn])
        #expect(m.spawned(pid: 100, at: t0) == [.startFinished(succeeded: true)])
        #expect(m.state == .ready(Worker(pid: 100, started: t0)))
        return m
    }

    /// A ready machine whose job (started at `start`) has been written whole to worker 100.
    func reading(at start: Double = 10) -> Machine {
        var m = ready()
        let deadline = at(start) + timeout
        #expect(
            m.jobSubmitted(frameBytes: frame, at: at(start), shutdownDeadline: nil, workerAlive: true) == [
                .write(from: 0, deadline: deadline)
            ]
        )
        #expect(m.bytesWritten(frame, at: at(start)) == [.readAnswer(deadline: deadline)])
        return m
    }

    // MARK: Starting

    @Test func startSpawnsTheFirstWorkerWithoutCountingARestart() {
        var m = Machine(timeout: timeout)
        #expect(m.state == .idle)
        #expect(m.start() == [.spawn])
        #expect(m.state == .starting)
        #expect(m.start() == [], "a second start does nothing")
        #expect(m.spawned(pid: 7, at: t0) == [.startFinished(succeeded: true)])
        #expect(m.state == .ready(Worker(pid: 7, started: t0)))
        #expect(m.respawnAt == nil)
    }

    @Test func aFirstWorkerThatCannotBeSpawnedFailsStartAndSchedulesNothing() {
        var m = Machine(timeout: timeout)
        _ = m.start()
        #expect(m.spawnFailed(reason: "no such file", at: t0) == [.startFinished(succeeded: false)])
        #expect(m.state == .crashed(respawnAt: nil))
        #expect(m.respawnDue(at: at(100)) == [])
        #expect(m.shutdownRequested(deadline: at(5)) == [])
        #expect(m.state == .stopped)
    }

    // MARK: A job

    @Test func aJobIsWrittenInPiecesThenAnswered() {
        var m = ready()
        let deadline = at(1) + timeout
        #expect(
            m.jobSubmitted(frameBytes: frame, at: at(1), shutdownDeadline: nil, workerAlive: true) == [
                .write(from: 0, deadline: deadline)
            ]
        )
        let w = Worker(pid: 100, started: t0)
        #expect(
            m.state
                == .busy(.init(frameBytes: frame, resent: false, stage: .writing(w, written: 0, deadline: deadline)))
        )
        #expect(m.bytesWritten(400, at: at(1)) == [.write(from: 400, deadline: deadline)])
        #expect(m.bytesWritten(500, at: at(2)) == [.write(from: 900, deadline: deadline)])
        #expect(m.bytesWritten(100, at: at(2)) == [.readAnswer(deadline: deadline)])
        #expect(m.state == .busy(.init(frameBytes: frame, resent: false, stage: .reading(w, deadline: deadline))))
        #expect(m.answerRead(at: at(3)) == [.count(.jobs), .succeed])
        #expect(m.state == .ready(w))
    }

    @Test func aJobGoesToNobodyAtOrAfterTheShutdownDeadline() {
        var m = ready()
        #expect(
            m.jobSubmitted(frameBytes: frame, at: at(5), shutdownDeadline: at(5), workerAlive: true) == [
                .fail(.shutDown)
            ]
        )
        #expect(m.state == .ready(Worker(pid: 100, started: t0)), "nothing changes")
        // Before the deadline the job still runs.
        #expect(
            m.jobSubmitted(frameBytes: frame, at: at(4), shutdownDeadline: at(5), workerAlive: true) == [
                .write(from: 0, deadline: at(4) + timeout)
            ]
        )
    }

    @Test func aWorkerThatDiedSinceItsLastAnswerIsReplacedBeforeTheJob() {
        var m = ready()
        #expect(
            m.jobSubmitted(frameBytes: frame, at: at(10), shutdownDeadline: nil, workerAlive: false) == [
                .reap(pid: 100, kill: true, reason: .diedWhileIdle), .spawn,
            ]
        )
        #expect(m.quickDeaths == 0, "it lived 10 s")
        #expect(m.spawned(pid: 101, at: at(11)) == [.count(.restarts), .write(from: 0, deadline: at(11) + timeout)])
        #expect(m.bytesWritten(frame, at: at(11)) == [.readAnswer(deadline: at(11) + timeout)])
        #expect(m.answerRead(at: at(12)) == [.count(.jobs), .succeed])
        #expect(m.state == .ready(Worker(pid: 101, started: at(11))))
    }

    @Test func aJobWithNoWorkerSpawnsOneAndFailsWhenItCannot() {
        var m = ready()
        _ = m.idleWorkerExited(at: at(0.5))  // a quick death: the replacement is due in 0.1 s
        #expect(m.state == .crashed(respawnAt: at(0.6)))
        #expect(m.jobSubmitted(frameBytes: frame, at: at(0.55), shutdownDeadline: nil, workerAlive: false) == [.spawn])
        #expect(m.spawnFailed(reason: "EAGAIN", at: at(0.56)) == [.fail(.cannotStart("EAGAIN"))])
        #expect(m.state == .crashed(respawnAt: at(0.6)), "the schedule from before stays")
        #expect(m.quickDeaths == 1, "a job's failed spawn is not a quick death")
    }

    // MARK: The resend-once rule

    @Test func aJobWhoseStdinClosedBeforeItAllWentInIsResentOnce() {
        var m = ready()
        _ = m.jobSubmitted(frameBytes: frame, at: at(10), shutdownDeadline: nil, workerAlive: true)
        _ = m.bytesWritten(300, at: at(10))
        #expect(m.stdinClosed(at: at(10)) == [.reap(pid: 100, kill: true, reason: .diedWhileIdle), .spawn])
        #expect(m.state == .busy(.init(frameBytes: frame, resent: true, stage: .spawning(respawnAt: at(10)))))
        // The fresh worker gets the whole frame again, with a fresh deadline.
        #expect(m.spawned(pid: 101, at: at(11)) == [.count(.restarts), .write(from: 0, deadline: at(11) + timeout)])
        // Its stdin closes too: this time the job fails, the worker is reaped (not killed) and
        // replaced.
        #expect(
            m.stdinClosed(at: at(11)) == [
                .reap(pid: 101, kill: false, reason: .crashed(.receivingJob)), .count(.crashes), .spawn,
                .fail(.workerCrashed),
            ]
        )
        #expect(m.state == .restarting(.afterFailedJob))
        #expect(m.spawned(pid: 102, at: at(12)) == [.count(.restarts)])
        #expect(m.state == .ready(Worker(pid: 102, started: at(12))))
    }

    @Test func aWorkerThatDiedWithPartOfTheJobUnreadGetsItResentOnce() {
        var m = reading()
        #expect(
            m.workerExited(unreadInput: 12, at: at(10)) == [
                .reap(pid: 100, kill: true, reason: .diedWhileIdle), .spawn,
            ]
        )
        #expect(m.spawned(pid: 101, at: at(11)) == [.count(.restarts), .write(from: 0, deadline: at(11) + timeout)])
        #expect(m.bytesWritten(frame, at: at(11)) == [.readAnswer(deadline: at(11) + timeout)])
        // Dying again with bytes unread: not resent a second time.
        #expect(
            m.workerExited(unreadInput: 12, at: at(12)) == [
                .reap(pid: 101, kill: false, reason: .crashed(.rendering)), .count(.crashes), .spawn,
                .fail(.workerCrashed),
            ]
        )
    }

    @Test func aJobReadWholeIsNeverResent() {
        for unread in [0, nil] as [Int?] {
            var m = reading()
            #expect(
                m.workerExited(unreadInput: unread, at: at(11)) == [
                    .reap(pid: 100, kill: false, reason: .crashed(.rendering)), .count(.crashes), .spawn,
                    .fail(.workerCrashed),
                ],
                "unread: \(String(describing: unread))"
            )
            #expect(m.state == .restarting(.afterFailedJob))
        }
    }

    // MARK: Failures during a job

    @Test func aCrashDuringAJobFailsItAndReplacesTheWorker() {
        var m = reading()
        _ = m.workerExited(unreadInput: 0, at: at(11))
        #expect(m.spawned(pid: 101, at: at(11)) == [.count(.restarts)])
        #expect(m.state == .ready(Worker(pid: 101, started: at(11))))
        #expect(m.quickDeaths == 0)
    }

    @Test func aReplacementThatCannotBeSpawnedAfterACrashWaitsForTheNextJob() {
        var m = reading()
        _ = m.workerExited(unreadInput: 0, at: at(11))
        #expect(m.spawnFailed(reason: "EAGAIN", at: at(11)) == [], "silently: the job already failed")
        #expect(m.state == .crashed(respawnAt: nil))
        #expect(m.quickDeaths == 0)
        #expect(m.jobSubmitted(frameBytes: frame, at: at(20), shutdownDeadline: nil, workerAlive: false) == [.spawn])
    }

    @Test func aTimeoutKillsAndReplacesTheWorker() {
        for writing in [true, false] {
            var m = ready()
            _ = m.jobSubmitted(frameBytes: frame, at: at(1), shutdownDeadline: nil, workerAlive: true)
            if !writing { _ = m.bytesWritten(frame, at: at(1)) }
            #expect(
                m.timedOut(at: at(31)) == [
                    .reap(pid: 100, kill: true, reason: .timedOut), .count(.timeouts), .spawn, .fail(.timedOut),
                ]
            )
            #expect(m.state == .restarting(.afterFailedJob))
            #expect(m.spawned(pid: 101, at: at(31)) == [.count(.restarts)])
        }
    }

    @Test func aBrokenAnswerKillsAndReplacesTheWorker() {
        var m = reading()
        #expect(
            m.protocolBroken("sent junk", at: at(11)) == [
                .reap(pid: 100, kill: true, reason: .brokeProtocol("sent junk")), .count(.crashes), .spawn,
                .fail(.brokeProtocol("sent junk")),
            ]
        )
        #expect(m.state == .restarting(.afterFailedJob))
    }

    @Test func anAnswerResetsTheQuickDeaths() {
        var m = ready()
        _ = m.idleWorkerExited(at: at(1))
        _ = m.respawnDue(at: at(1.1))
        _ = m.spawned(pid: 101, at: at(1.1))
        #expect(m.quickDeaths == 1)
        _ = m.jobSubmitted(frameBytes: frame, at: at(1.2), shutdownDeadline: nil, workerAlive: true)
        _ = m.bytesWritten(frame, at: at(1.2))
        _ = m.answerRead(at: at(1.5))
        #expect(m.quickDeaths == 0)
    }

    // MARK: Idle deaths and their backoff

    @Test func aWorkerThatDiesIdleAfterTwoSecondsIsReplacedAtOnce() {
        var m = ready()
        #expect(m.idleWorkerExited(at: at(5)) == [.reap(pid: 100, kill: true, reason: .diedWhileIdle)])
        #expect(m.state == .crashed(respawnAt: at(5)))
        #expect(m.respawnDue(at: at(4.9)) == [], "not before it is due")
        #expect(m.respawnDue(at: at(5)) == [.spawn])
        #expect(m.state == .restarting(.scheduled))
        #expect(m.spawned(pid: 101, at: at(5)) == [.count(.restarts)])
        #expect(m.state == .ready(Worker(pid: 101, started: at(5))))
    }

    @Test func workersThatKeepDyingAtOnceAreReplacedWithABackoff() {
        var m = ready()
        var now = t0 + .milliseconds(500)
        var pid: Int32 = 100
        // 0.1 s, 0.2 s, 0.4 s … up to 10 s, each worker dying 0.5 s after it started.
        for (i, delay) in [100, 200, 400, 800, 1600, 3200, 6400, 10_000, 10_000].enumerated() {
            #expect(m.idleWorkerExited(at: now) == [.reap(pid: pid, kill: true, reason: .diedWhileIdle)])
            #expect(m.quickDeaths == i + 1)
            #expect(m.respawnAt == now + .milliseconds(delay), "death \(i + 1)")
            now += .milliseconds(delay)
            #expect(m.respawnDue(at: now) == [.spawn])
            pid += 1
            _ = m.spawned(pid: pid, at: now)
            now += .milliseconds(500)
        }
    }

    @Test func aScheduledReplacementThatCannotBeSpawnedIsTriedAgainLater() {
        var m = ready()
        _ = m.idleWorkerExited(at: at(5))
        _ = m.respawnDue(at: at(5))
        #expect(m.spawnFailed(reason: "EMFILE", at: at(5)) == [.logSpawnFailure("EMFILE")])
        #expect(m.quickDeaths == 1)
        #expect(m.state == .crashed(respawnAt: at(7)))
        for (q, seconds) in [(2, 4.0), (3, 8), (4, 10), (5, 10)] {
            _ = m.respawnDue(at: m.respawnAt!)
            _ = m.spawnFailed(reason: "EMFILE", at: at(5))
            #expect(m.quickDeaths == q)
            #expect(m.respawnAt == at(5 + seconds))
        }
    }

    // MARK: Shutdown

    @Test func shutdownStopsAnIdleWorkerOnce() {
        var m = ready()
        #expect(m.shutdownRequested(deadline: at(5)) == [.stopWorker(pid: 100, deadline: at(5))])
        #expect(m.state == .stopped)
        #expect(m.shutdownRequested(deadline: at(6)) == [], "twice: nothing more")
        #expect(
            m.jobSubmitted(frameBytes: frame, at: at(1), shutdownDeadline: nil, workerAlive: true) == [.fail(.shutDown)]
        )
        #expect(m.respawnDue(at: at(100)) == [])
    }

    @Test func shutdownWithNoWorkerJustStops() {
        var m = ready()
        _ = m.idleWorkerExited(at: at(5))
        #expect(m.shutdownRequested(deadline: at(10)) == [])
        #expect(m.state == .stopped)
        var never = Machine(timeout: timeout)
        #expect(never.shutdownRequested(deadline: at(10)) == [])
        #expect(never.state == .stopped)
    }

    @Test func shutdownWhileBusyLetsTheJobRunUntilTheDeadline() {
        var m = reading()
        let before = m.state
        #expect(m.shutdownRequested(deadline: at(15)) == [], "the job's own waits watch the deadline")
        #expect(m.state == before)
        // The job answers in time: the worker is then stopped like an idle one.
        #expect(m.answerRead(at: at(12)) == [.count(.jobs), .succeed])
        #expect(m.shutdownRequested(deadline: at(15)) == [.stopWorker(pid: 100, deadline: at(15))])
    }

    @Test func theShutdownDeadlineKillsABusyWorkerWithoutReplacingIt() {
        for writing in [true, false] {
            var m = ready()
            _ = m.jobSubmitted(frameBytes: frame, at: at(1), shutdownDeadline: nil, workerAlive: true)
            if !writing { _ = m.bytesWritten(frame, at: at(1)) }
            #expect(
                m.shutdownDeadlinePassed(at: at(6)) == [
                    .reap(pid: 100, kill: true, reason: .shutdownDeadline), .fail(.shutDown),
                ]
            )
            #expect(m.state == .crashed(respawnAt: nil))
            #expect(m.shutdownRequested(deadline: at(6)) == [])
            #expect(m.state == .stopped)
        }
    }

    // MARK: Events that come twice or at the wrong time

    @Test func eventsOutOfPlaceChangeNothing() {
        var m = ready()
        let readyState = m.state
        #expect(m.answerRead(at: at(1)) == [])
        #expect(m.bytesWritten(10, at: at(1)) == [])
        #expect(m.stdinClosed(at: at(1)) == [])
        #expect(m.workerExited(unreadInput: 5, at: at(1)) == [])
        #expect(m.timedOut(at: at(1)) == [])
        #expect(m.protocolBroken("junk", at: at(1)) == [])
        #expect(m.shutdownDeadlinePassed(at: at(1)) == [])
        #expect(m.spawned(pid: 200, at: at(1)) == [])
        #expect(m.spawnFailed(reason: "x", at: at(1)) == [])
        #expect(m.respawnDue(at: at(1)) == [])
        #expect(m.state == readyState)
    }

    @Test func aSecondExitOrAnswerAfterTheJobEndedIsIgnored() {
        var m = reading()
        _ = m.workerExited(unreadInput: 0, at: at(11))
        let afterCrash = m.state
        #expect(m.workerExited(unreadInput: 0, at: at(11)) == [])
        #expect(m.answerRead(at: at(11)) == [])
        #expect(m.timedOut(at: at(11)) == [])
        #expect(m.state == afterCrash)

        var t = reading()
        _ = t.timedOut(at: at(40))
        #expect(t.timedOut(at: at(41)) == [], "a timeout fires once")
        #expect(t.answerRead(at: at(41)) == [], "an answer after the timeout is not the job's")
    }

    @Test func aSecondIdleDeathIsIgnored() {
        var m = ready()
        _ = m.idleWorkerExited(at: at(5))
        #expect(m.idleWorkerExited(at: at(5)) == [])
        #expect(m.quickDeaths == 0)
    }

    @Test func aSecondJobWhileBusyIsRefused() {
        var m = reading()
        let before = m.state
        #expect(
            m.jobSubmitted(frameBytes: 5, at: at(11), shutdownDeadline: nil, workerAlive: true) == [.fail(.shutDown)]
        )
        #expect(m.state == before)
    }
}
