/// The API's OpenAPI 3.1 description, served at /openapi.yaml. A test checks that every API route
/// the server registers is described here with the same method, and nothing else.
enum OpenAPIDocument {
    static let yaml = """
        openapi: 3.1.0
        info:
          title: CareDocs API
          version: "1.0.0"
          description: |
            Care records, documents (PDF), the deadline queue, mailing events, mailroom batches and the
            audit log of the CARES for Kids document service. Authenticate with `Authorization: Bearer
            <API token>` (made with `caredocs users token`), or a browser session cookie plus the
            `X-CSRF-Token` header on unsafe methods. Errors are `{error, details: [{path, problem}]}`.
        servers:
          - url: /
        security:
          - bearerAuth: []
          - sessionCookie: []
        components:
          securitySchemes:
            bearerAuth: {type: http, scheme: bearer}
            sessionCookie: {type: apiKey, in: cookie, name: caredocs_session}
          parameters:
            recordId: {name: recordId, in: path, required: true, schema: {type: string}}
            kind:
              name: kind
              in: path
              required: true
              schema: {type: string, enum: [enrollment-letter, termination-letter, care-plan, emergency-plan, aftercare-plan, ccm-notice]}
            language: {name: language, in: query, schema: {type: string}, description: "A language tag (en, es, pt-BR, ht, vi, kea, zh-Hans, zh-Hant, ar, km, fr, ko, ru), primary or english"}
            bilingual: {name: bilingual, in: query, schema: {type: boolean}, description: English and the family's language joined in one PDF}
            largePrint: {name: largePrint, in: query, schema: {type: boolean}, description: "Body text at 18 pt (default: the member's accessibility.largePrint)"}
            date: {name: date, in: query, schema: {type: string, format: date}, description: The date printed on the document}
            id: {name: id, in: path, required: true, schema: {type: string}}
          schemas:
            Error:
              type: object
              required: [error, details]
              properties:
                error: {type: string}
                details:
                  type: array
                  items:
                    type: object
                    required: [path, problem]
                    properties:
                      path: {type: string, description: JSON path of the field, or the parameter}
                      problem: {type: string}
                      clause: {type: string, description: The regulation's clause that asks for it}
            CareRecord:
              description: A care record, schema version 1 (care-record.schema.json; the server validates it in full).
              type: object
              required: [schemaVersion, member]
              properties:
                schemaVersion: {type: integer, const: 1}
                recordId: {type: string}
                member: {type: object, required: [id, firstName, lastName, dateOfBirth, primaryLanguage]}
            ImportReport:
              type: object
              properties:
                recordId: {type: string}
                version: {type: integer}
                newVersion: {type: boolean}
                sha256: {type: string}
                created: {type: integer}
                moved: {type: integer}
                cancelled: {type: integer}
                reinstated: {type: integer}
                completed: {type: integer}
                reopened: {type: integer}
            MemberSummary:
              type: object
              properties:
                recordId: {type: string}
                memberId: {type: string}
                givenName: {type: string}
                familyName: {type: string}
                birthDate: {type: string, format: date}
                latestVersion: {type: integer}
                updatedAt: {type: string}
            Checklist:
              type: array
              items:
                type: object
                properties:
                  kind: {type: string}
                  ready: {type: boolean}
                  missing: {type: array, items: {type: object}}
            Obligation:
              type: object
              properties:
                obligation: {type: object, description: "id, recordId, kind, qualifier, startDate, dueDate, paper, electronic, trackingNumber, …"}
                status:
                  type: object
                  properties:
                    state: {type: string, enum: [on-track, at-risk, overdue, complete, cancelled]}
                    daysLeft: {type: integer}
                    late: {type: boolean}
            Event:
              type: object
              required: [type]
              properties:
                type: {type: string, enum: [printed, mailed, delivered, returned, sent, send-failed]}
                trackingNumber: {type: string, description: "UPU S10, e.g. RE123456785US (check digit verified)"}
                date: {type: string, format: date}
                reason: {type: string}
                channel: {type: string}
            Batch:
              type: object
              properties:
                id: {type: string}
                state: {type: string, enum: [running, done, failed]}
                date: {type: string, format: date}
                pieces: {type: integer}
                sheets: {type: integer}
                files: {type: array, items: {type: string}}
            AuditEntry:
              type: object
              properties:
                seq: {type: integer}
                at: {type: string}
                actor: {type: string}
                action: {type: string}
                recordId: {type: string}
                recordVersion: {type: integer}
                obligationId: {type: string}
                what: {type: string}
                prevHash: {type: string}
                hash: {type: string}
          responses:
            Error: {description: Error, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
            PDF: {description: The document, content: {application/pdf: {schema: {type: string, format: binary}}}}
        paths:
          /healthz:
            get:
              summary: Liveness
              security: []
              responses: {"200": {description: The process answers}}
          /readyz:
            get:
              summary: Readiness (database reachable, render workers running)
              security: []
              responses: {"200": {description: Ready}, "503": {description: Not ready}}
          /metrics:
            get:
              summary: Prometheus metrics (no PHI)
              security: []
              responses: {"200": {description: Prometheus text format, content: {text/plain: {}}}}
          /openapi.yaml:
            get:
              summary: This document
              security: []
              responses: {"200": {description: OpenAPI 3.1, content: {application/yaml: {}}}}
          /v1/me:
            get:
              summary: Who is signed in (all roles)
              responses: {"200": {description: "name, role, csrfToken"}, "401": {$ref: "#/components/responses/Error"}}
          /v1/members:
            get:
              summary: Find members by name, date of birth or member id (admin, coordinator, ed; ed needs name and birthDate, or memberId)
              parameters:
                - {name: name, in: query, schema: {type: string}}
                - {name: birthDate, in: query, schema: {type: string, format: date}}
                - {name: memberId, in: query, schema: {type: string}}
                - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 200}}
              responses:
                "200": {description: Members, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/MemberSummary"}}}}}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
          /v1/records:
            post:
              summary: Store a care record (a new version unless unchanged) and update its obligations (admin, coordinator)
              requestBody: {required: true, content: {application/json: {schema: {$ref: "#/components/schemas/CareRecord"}}}}
              responses:
                "201": {description: First version stored, content: {application/json: {schema: {$ref: "#/components/schemas/ImportReport"}}}}
                "200": {description: "New version stored, or unchanged", content: {application/json: {schema: {$ref: "#/components/schemas/ImportReport"}}}}
                "413": {$ref: "#/components/responses/Error"}
                "422": {$ref: "#/components/responses/Error"}
          /v1/records/{recordId}:
            parameters: [{$ref: "#/components/parameters/recordId"}]
            get:
              summary: The latest version of a record (admin, coordinator; audited)
              responses:
                "200": {description: The record, content: {application/json: {schema: {$ref: "#/components/schemas/CareRecord"}}}}
                "404": {$ref: "#/components/responses/Error"}
            put:
              summary: Store a care record whose id (recordId, else member.id) is the URL's (admin, coordinator)
              requestBody: {required: true, content: {application/json: {schema: {$ref: "#/components/schemas/CareRecord"}}}}
              responses:
                "201": {description: First version stored}
                "200": {description: "New version stored, or unchanged"}
                "422": {$ref: "#/components/responses/Error"}
          /v1/records/{recordId}/summary:
            parameters: [{$ref: "#/components/parameters/recordId"}]
            get:
              summary: Member summary, the required-content checklist of every document kind, and the obligations (admin, coordinator)
              responses: {"200": {description: Summary}, "404": {$ref: "#/components/responses/Error"}}
          /v1/validate:
            post:
              summary: Validate a care record against the contract; list what each document still needs (admin, coordinator)
              requestBody: {required: true, content: {application/json: {schema: {$ref: "#/components/schemas/CareRecord"}}}}
              responses:
                "200": {description: Valid, content: {application/json: {schema: {type: object, properties: {valid: {type: boolean}, recordId: {type: string}, memberId: {type: string}, documents: {$ref: "#/components/schemas/Checklist"}}}}}}
                "422": {$ref: "#/components/responses/Error"}
          /v1/records/{recordId}/documents/{kind}:
            parameters: [{$ref: "#/components/parameters/recordId"}, {$ref: "#/components/parameters/kind"}]
            get:
              summary: Render a document of the latest record version (admin, coordinator; ed the emergency plan only; audited)
              parameters: [{$ref: "#/components/parameters/language"}, {$ref: "#/components/parameters/bilingual"}, {$ref: "#/components/parameters/largePrint"}, {$ref: "#/components/parameters/date"}]
              responses:
                "200": {$ref: "#/components/responses/PDF"}
                "400": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "422": {$ref: "#/components/responses/Error"}
                "500": {$ref: "#/components/responses/Error"}
          /v1/records/{recordId}/documents/{kind}/preview.png:
            parameters: [{$ref: "#/components/parameters/recordId"}, {$ref: "#/components/parameters/kind"}]
            get:
              summary: Page 1 of the document as PNG
              parameters: [{$ref: "#/components/parameters/language"}, {$ref: "#/components/parameters/largePrint"}, {$ref: "#/components/parameters/date"}]
              responses: {"200": {description: PNG, content: {image/png: {}}}, "422": {$ref: "#/components/responses/Error"}}
          /v1/render/{kind}:
            parameters: [{$ref: "#/components/parameters/kind"}]
            post:
              summary: Render a document from a posted record without storing it (admin, coordinator)
              parameters: [{$ref: "#/components/parameters/language"}, {$ref: "#/components/parameters/bilingual"}, {$ref: "#/components/parameters/largePrint"}, {$ref: "#/components/parameters/date"}]
              requestBody: {required: true, content: {application/json: {schema: {$ref: "#/components/schemas/CareRecord"}}}}
              responses:
                "200": {$ref: "#/components/responses/PDF"}
                "413": {$ref: "#/components/responses/Error"}
                "422": {$ref: "#/components/responses/Error"}
          /v1/obligations:
            get:
              summary: Obligations by due date (admin, coordinator, mailroom)
              parameters:
                - {name: status, in: query, schema: {type: string, enum: [pending, overdue, at-risk, on-track, complete, cancelled, all]}}
                - {name: kind, in: query, schema: {type: string}}
                - {name: dueWithin, in: query, schema: {type: integer, minimum: 0}, description: Due within this many days (overdue included)}
                - {name: recordId, in: query, schema: {type: string}}
              responses:
                "200": {description: Obligations, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Obligation"}}}}}
                "400": {$ref: "#/components/responses/Error"}
          /v1/obligations/{id}:
            parameters: [{$ref: "#/components/parameters/id"}]
            get:
              summary: One obligation with its renditions and mail pieces
              responses: {"200": {description: Detail}, "404": {$ref: "#/components/responses/Error"}}
          /v1/obligations/{id}/events:
            parameters: [{$ref: "#/components/parameters/id"}]
            post:
              summary: Record a mailing event (admin, mailroom)
              requestBody: {required: true, content: {application/json: {schema: {$ref: "#/components/schemas/Event"}}}}
              responses:
                "200": {description: The obligation after the event, content: {application/json: {schema: {$ref: "#/components/schemas/Obligation"}}}}
                "404": {$ref: "#/components/responses/Error"}
                "409": {$ref: "#/components/responses/Error"}
                "422": {$ref: "#/components/responses/Error"}
          /v1/batches:
            get:
              summary: Batches made by this node (admin, mailroom)
              responses: {"200": {description: Batches, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Batch"}}}}}}
            post:
              summary: Start a print batch of every letter ready to mail (admin, mailroom)
              requestBody: {content: {application/json: {schema: {type: object, properties: {date: {type: string, format: date}, postage: {type: string}, fee: {type: string}}}}}}
              responses: {"202": {description: Started, content: {application/json: {schema: {$ref: "#/components/schemas/Batch"}}}}}
          /v1/batches/{id}:
            parameters: [{$ref: "#/components/parameters/id"}]
            get:
              summary: A batch's state
              responses: {"200": {description: Batch, content: {application/json: {schema: {$ref: "#/components/schemas/Batch"}}}}, "404": {$ref: "#/components/responses/Error"}}
          /v1/batches/{id}/{file}:
            parameters:
              - {$ref: "#/components/parameters/id"}
              - {name: file, in: path, required: true, schema: {type: string, enum: [print.pdf, mailing-book.pdf, mailing-book.csv]}}
            get:
              summary: The print file or the mailing book (PS Form 3877) of a finished batch
              responses: {"200": {description: The file}, "404": {$ref: "#/components/responses/Error"}}
          /v1/audit:
            get:
              summary: Audit entries, newest first (admin)
              parameters:
                - {name: recordId, in: query, schema: {type: string}}
                - {name: actor, in: query, schema: {type: string}}
                - {name: action, in: query, schema: {type: string}}
                - {name: since, in: query, schema: {type: string}}
                - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 1000}}
              responses: {"200": {description: Entries, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/AuditEntry"}}}}}}
          /v1/audit/verify:
            get:
              summary: Check the audit log's hash chain (admin)
              responses: {"200": {description: The verification}}
        """
}
