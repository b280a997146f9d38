import Deadlines
import Foundation
import Prometheus

/// The service's Prometheus metrics: HTTP requests by route and status, renders by kind and
/// outcome with latencies, render worker restarts, and queue sizes read at scrape time.
/// Labels carry route templates, kinds and outcomes only: never ids or names.
public final class ServiceMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    let queuePending: Gauge
    let queueOverdue: Gauge
    let workerRestarts: Gauge
    let workersBusy: Gauge
    static let latencyBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
    ]

    public init() {
        queuePending = registry.makeGauge(
            descriptor: .init(
                namespace: "caredocs",
                metricName: "queue_pending",
                unitName: "obligations",
                helpText: "Obligations neither complete nor cancelled"
            )
        )
        queueOverdue = registry.makeGauge(
            descriptor: .init(
                namespace: "caredocs",
                metricName: "queue_overdue",
                unitName: "obligations",
                helpText: "Pending obligations past their due date"
            )
        )
        workerRestarts = registry.makeGauge(
            descriptor: .init(
                namespace: "caredocs",
                metricName: "render_worker_restarts",
                unitName: "total",
                helpText: "Render worker processes replaced after a crash or timeout"
            )
        )
        workersBusy = registry.makeGauge(
            descriptor: .init(
                namespace: "caredocs",
                metricName: "render_workers_busy",
                unitName: "workers",
                helpText: "Render workers rendering now"
            )
        )
    }

    func request(route: String, method: String, status: Int, duration: Duration) {
        registry.makeCounter(
            descriptor: .init(
                namespace: "caredocs",
                metricName: "http_requests",
                unitName: "total",
                helpText: "HTTP requests answered"
            ),
            labels: [("route", route), ("method", method), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: .init(
                namespace: "caredocs",
                metricName: "http_request",
                unitName: "seconds",
                helpText: "HTTP request latency"
            ),
            labels: [("route", route), ("method", method)],
            buckets: Self.latencyBuckets
        ).record(duration)
    }

    func render(kind: String, outcome: String, duration: Duration) {
        registry.makeCounter(
            descriptor: .init(
                namespace: "caredocs",
                metricName: "renders",
                unitName: "total",
                helpText: "Documents rendered, by kind and outcome"
            ),
            labels: [("kind", kind), ("outcome", outcome)]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: .init(
                namespace: "caredocs",
                metricName: "render",
                unitName: "seconds",
                helpText: "Render latency through the worker pool"
            ),
            labels: [("kind", kind)],
            buckets: Self.latencyBuckets
        ).record(duration)
    }
}
