ALTER TABLE "audit_events" ADD COLUMN "event_id" uuid;--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_event_id_unique" UNIQUE("event_id");