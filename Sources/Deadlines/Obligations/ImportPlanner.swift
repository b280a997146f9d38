import CaresDocuments

/// What importing one record version changes: obligations to write and audit entries to append.
/// Pure: the stores read the current state, call this, and write the result in one transaction.
public struct ImportPlan: Sendable {
    public var upserts: [Obligation] = []
    public var audit: [AuditDraft] = []
    public var created = 0, moved = 0, cancelled = 0, reinstated = 0, completed = 0, reopened = 0
}

public enum ImportPlanner {
    /// Reconciles `existing` (every obligation the store has for the record) with what record
    /// version `version` asks for. `today` (America/New_York) dates completions the import causes.
    ///
    /// `completedBefore` (a member already in the program): an obligation derived for the first
    /// time whose due date is before that day is recorded as complete, dated on its due date (the
    /// queue does not know the real day; it was not late), with a note saying so. Obligations due
    /// on or after it, and every obligation derived before, are left as the rules make them.
    public static func plan(
        record: CareRecord,
        version: Int,
        existing: [Obligation],
        today: CalendarDate,
        completedBefore: CalendarDate? = nil
    ) -> ImportPlan {
        let recordId = Derivation.recordId(of: record)
        var plan = ImportPlan()
        var byId = Dictionary(existing.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var touched: Set<String> = []
        let specs = Derivation.specs(for: record)

        func note(_ action: String, _ id: String, _ what: String) {
            plan.audit.append(
                AuditDraft(action, recordId: recordId, recordVersion: version, obligationId: id, what: what)
            )
        }
        func write(_ o: Obligation) {
            byId[o.id] = o
            plan.upserts.removeAll { $0.id == o.id }
            plan.upserts.append(o)
        }
        /// Brings a document's completion in line with its done condition.
        func settle(_ o: inout Obligation) -> Bool {
            guard o.kind.isDocument, !o.isCancelled else { return false }
            if o.doneConditionHolds, o.completedOn == nil {
                o.completedOn = today
                plan.completed += 1
                note("complete", o.id, "done condition holds")
                return true
            }
            if !o.doneConditionHolds, o.completedOn != nil {
                o.completedOn = nil
                plan.reopened += 1
                note("reopen", o.id, "done condition no longer holds (electronic delivery now required)")
                return true
            }
            return false
        }
        func apply(_ spec: ObligationSpec, id: String, qualifier: String?) {
            touched.insert(id)
            guard var o = byId[id] else {
                var o = Obligation(
                    id: id,
                    recordId: recordId,
                    kind: spec.kind,
                    qualifier: qualifier,
                    startDate: spec.startDate,
                    dueDate: spec.kind.rule.due(from: spec.startDate),
                    recordVersion: version,
                    language: spec.language,
                    electronicRequired: spec.electronicRequired
                )
                o.completedOn = nil
                plan.created += 1
                note(
                    "derive",
                    id,
                    "obligation \(spec.kind.rawValue) derived, due \(spec.kind.rule.description) from its start date"
                )
                if let cutoff = completedBefore, o.dueDate < cutoff {
                    o.completedOn = o.dueDate
                    o.completedBeforeImport = true
                    o.completionNote = "completed before import: due before \(cutoff), as stated at import"
                    plan.completed += 1
                    note("complete", id, "completed before import: due before \(cutoff), as stated at import")
                }
                write(o)
                return
            }
            var changed = false
            if o.isCancelled {
                o.cancelledReason = nil
                plan.reinstated += 1
                note("reinstate", id, "applies again in record version \(version)")
                changed = true
            }
            if o.startDate != spec.startDate {
                o.startDate = spec.startDate
                o.dueDate = spec.kind.rule.due(from: spec.startDate)
                plan.moved += 1
                note("move", id, "due date moved: start date changed in record version \(version)")
                changed = true
            }
            if o.language != spec.language || o.electronicRequired != spec.electronicRequired {
                if o.electronicRequired != spec.electronicRequired {
                    note(
                        "update",
                        id,
                        "electronic delivery \(spec.electronicRequired ? "now" : "no longer") required (guardians[].electronicDelivery)"
                    )
                }
                if o.language != spec.language {
                    note("update", id, "document language now \(spec.language ?? "none")")
                }
                o.language = spec.language
                o.electronicRequired = spec.electronicRequired
                changed = true
            }
            if settle(&o) { changed = true }
            if changed {
                o.recordVersion = version
                write(o)
            }
        }

        for spec in specs {
            switch spec.kind {
            case .reassessment, .monitoring:
                let cycles = existing.filter { $0.kind == spec.kind }
                    .sorted { Int($0.qualifier ?? "0") ?? 0 < Int($1.qualifier ?? "0") ?? 0 }
                guard let current = cycles.last else {
                    apply(
                        spec,
                        id: Obligation.makeId(recordId: recordId, kind: spec.kind, qualifier: "1"),
                        qualifier: "1"
                    )
                    continue
                }
                let cycle = Int(current.qualifier ?? "1") ?? 1
                if spec.startDate > current.startDate && !current.isCancelled {
                    touched.insert(current.id)
                    if current.isPending {
                        var done = current
                        done.completedOn = spec.startDate
                        done.completionNote =
                            spec.kind == .reassessment
                            ? "new assessment date in record version \(version)"
                            : "care plan review in record version \(version)"
                        done.recordVersion = version
                        write(done)
                        plan.completed += 1
                        note("complete", done.id, done.completionNote!)
                    }
                    let next = String(cycle + 1)
                    apply(
                        spec,
                        id: Obligation.makeId(recordId: recordId, kind: spec.kind, qualifier: next),
                        qualifier: next
                    )
                } else {
                    // Same date, an earlier date (a correction: the due date moves), or a
                    // cancelled cycle that applies again.
                    apply(spec, id: current.id, qualifier: current.qualifier)
                }
            default:
                apply(
                    spec,
                    id: Obligation.makeId(recordId: recordId, kind: spec.kind, qualifier: spec.qualifier),
                    qualifier: spec.qualifier
                )
            }
        }

        // Withdrawn: pending obligations the record no longer asks for.
        for o in existing where !touched.contains(o.id) && o.isPending {
            var w = byId[o.id] ?? o
            if w.kind == .carePlanSignature, let approval = record.carePlanApproval,
                approval.method == .signature || approval.method == .electronicSignature
            {
                w.completedOn = approval.date ?? today
                w.completionNote = "signature recorded in record version \(version)"
                plan.completed += 1
                note("complete", w.id, w.completionNote!)
            } else {
                w.cancelledReason = Derivation.withdrawalReason(w.kind, qualifier: w.qualifier, record: record)
                plan.cancelled += 1
                note("cancel", w.id, "cancelled: \(w.cancelledReason!)")
            }
            w.recordVersion = version
            write(w)
        }
        return plan
    }
}
