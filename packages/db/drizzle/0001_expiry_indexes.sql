CREATE INDEX "sessions_expires" ON "sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "refresh_token_families_absolute_expires" ON "refresh_token_families" USING btree ("absolute_expires_at");--> statement-breakpoint
CREATE INDEX "user_action_tokens_expires" ON "user_action_tokens" USING btree ("expires_at");