//! The OpenAPI 3.1 description of `/api/v1`, served at `/api/v1/openapi.json`.

use axum::Json;
use serde_json::{json, Value};

pub async fn document() -> Json<Value> {
    Json(spec())
}

pub fn spec() -> Value {
    let text = json!({"type": "string"});
    let date = json!({"type": "string", "format": "date", "example": "2026-01-12"});
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Section 41 claims API",
            "version": "1.0.0",
            "description": "File and track Section 41 preliminary-assistance petitions. Dates are YYYY-MM-DD (Gregorian)."
        },
        "paths": {
            "/api/v1/claims": {
                "post": {
                    "operationId": "createClaim",
                    "summary": "File a petition",
                    "parameters": [{"name": "Idempotency-Key", "in": "header", "required": false, "schema": {"type": "string", "maxLength": 200},
                        "description": "A retry with the same key and body returns the first answer (for 7 days) and never files twice. A key counts only together with its body: the same key with another body is another request, so nobody can take your key first. Use a random UUID: the first answer's access code is kept sealed under the key."}],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Petition"}}}},
                    "responses": {
                        "201": {"description": "Filed", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Filed"}}}},
                        "400": {"description": "Malformed JSON", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                        "413": {"description": "Body too large"},
                        "422": {"description": "Invalid fields; nothing stored", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ValidationErrors"}}}},
                        "429": {"description": "This client filed 20 petitions in 15 minutes (retries answered from their Idempotency-Key are not counted); try again after Retry-After seconds", "headers": {"Retry-After": {"schema": {"type": "integer"}}}},
                        "503": {"description": "Busy: this instance has as many posts in hand as it takes (MAX_CONCURRENT_WRITES); try again after Retry-After seconds", "headers": {"Retry-After": {"schema": {"type": "integer"}}}}
                    }
                }
            },
            "/api/v1/claims/{reference}": {
                "get": {
                    "operationId": "getClaim",
                    "summary": "A claim's status and history",
                    "parameters": [
                        {"name": "reference", "in": "path", "required": true, "schema": text},
                        {"name": "X-Access-Code", "in": "header", "required": true, "schema": text}
                    ],
                    "responses": {
                        "200": {"description": "The claim", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ClaimStatus"}}}},
                        "400": {"description": "No X-Access-Code header (not counted as a wrong try)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                        "404": {"description": "Unknown reference or wrong access code (indistinguishable)"},
                        "429": {"description": "Too many wrong codes from this client in 15 minutes (web and API together); try again after Retry-After seconds", "headers": {"Retry-After": {"schema": {"type": "integer"}}}}
                    }
                }
            },
            "/api/v1/claims/{reference}/documents": {
                "post": {
                    "operationId": "addDocument",
                    "summary": "Add a supporting document (PDF, JPEG or PNG, up to 10 MB; at most 10 per claim)",
                    "parameters": [
                        {"name": "reference", "in": "path", "required": true, "schema": text},
                        {"name": "X-Access-Code", "in": "header", "required": true, "schema": text}
                    ],
                    "requestBody": {"required": true, "content": {"multipart/form-data": {"schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}, "required": ["file"]}}}},
                    "responses": {
                        "201": {"description": "Stored, and recorded in the claim's history", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Document"}}}},
                        "403": {"description": "The claim is paid, closed or withdrawn: it takes no more documents", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                        "404": {"description": "Unknown reference or wrong access code"},
                        "413": {"description": "File too large"},
                        "400": {"description": "No X-Access-Code header", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                        "429": {"description": "Too many wrong codes from this client; try again after Retry-After seconds", "headers": {"Retry-After": {"schema": {"type": "integer"}}}},
                        "422": {"description": "Wrong type, too large, or too many files", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ValidationErrors"}}}},
                        "503": {"description": "Busy: this instance has as many posts in hand as it takes (MAX_CONCURRENT_WRITES); try again after Retry-After seconds", "headers": {"Retry-After": {"schema": {"type": "integer"}}}}
                    }
                }
            }
        },
        "components": {
            "schemas": {
                "Petition": {
                    "type": "object",
                    "required": ["filer", "patient", "service_unit", "treatment_date", "damage_known_date", "damage_description", "burden"],
                    "properties": {
                        "filer": {"type": "object", "required": ["relation"], "properties": {
                            "relation": {"type": "string", "enum": ["self", "heir", "caretaker", "service_unit", "proxy"]},
                            "name": text, "national_id": {"type": "string", "pattern": "^[0-9]{13}$"}, "phone": text, "email": {"type": "string", "format": "email"}
                        }, "description": "name, phone (and national_id for heir, caretaker and proxy) are required unless relation is self"},
                        "patient": {"type": "object", "required": ["name", "national_id", "address"], "properties": {
                            "name": text, "national_id": {"type": "string", "pattern": "^[0-9]{13}$"}, "address": text, "phone": text, "email": {"type": "string", "format": "email"}
                        }, "description": "phone is required when relation is self"},
                        "service_unit": {"type": "object", "required": ["name", "province_code"], "properties": {
                            "name": text, "province_code": {"type": "string", "pattern": "^[0-9]{2}$", "description": "Ministry of Interior province code; decides the region"}
                        }},
                        "treatment_date": date,
                        "damage_known_date": date,
                        "damage_description": text,
                        "burden": text
                    }
                },
                "Filed": {"type": "object", "required": ["reference", "access_code", "region", "status", "filed_on", "filing_deadline"], "properties": {
                    "reference": {"type": "string", "example": "S41-2569-7KQ4M2"},
                    "access_code": {"type": "string", "example": "7KQ4-M2XD"},
                    "region": {"type": "integer", "minimum": 1, "maximum": 13},
                    "status": {"type": "string", "const": "submitted"},
                    "filed_on": date, "filing_deadline": date
                }},
                "ClaimStatus": {"type": "object", "required": ["reference", "status", "region", "history"], "properties": {
                    "reference": text, "status": text, "region": {"type": "integer"},
                    "expected_decision_by": {"type": ["string", "null"], "format": "date"},
                    "expected_payment_by": {"type": ["string", "null"], "format": "date"},
                    "decision_received_on": {"type": ["string", "null"], "format": "date", "description": "The day the claimant received the decision now open to appeal (opening the status page, or a delivery staff recorded)."},
                    "appeal_by": {"type": ["string", "null"], "format": "date", "description": "The last day to appeal, counted from decision_received_on."},
                    "history": {"type": "array", "items": {"type": "object", "properties": {"status": text, "at": {"type": "string", "format": "date-time"}, "note": {"type": ["string", "null"]}, "document": {"type": ["string", "null"], "description": "Set when the claimant added a document (the status did not change): its file name"}}}}
                }},
                "Document": {"type": "object", "properties": {"id": text, "filename": text, "content_type": text, "size_bytes": {"type": "integer"}}},
                "ValidationErrors": {"type": "object", "required": ["errors"], "properties": {"errors": {"type": "array", "items": {
                    "type": "object", "required": ["field", "code", "message"],
                    "properties": {"field": {"type": "string", "example": "patient.national_id"}, "code": text, "message": text, "message_th": text}
                }}}},
                "Error": {"type": "object", "properties": {"error": text, "message": text}}
            }
        }
    })
}
