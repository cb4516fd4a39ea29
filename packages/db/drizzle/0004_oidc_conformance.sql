ALTER TABLE "authorization_codes" ALTER COLUMN "code_challenge" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "token_endpoint_auth_method" text DEFAULT 'client_secret_basic' NOT NULL;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "pkce" text DEFAULT 'required' NOT NULL;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "id_token_signed_response_alg" text DEFAULT 'ES256' NOT NULL;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "access_token_signing_alg" text DEFAULT 'ES256' NOT NULL;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "id_token_scope_claims" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "given_name" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "family_name" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "middle_name" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "nickname" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "preferred_username" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "profile" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "picture" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "website" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "gender" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "birthdate" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "zoneinfo" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "locale" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "phone_number" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "phone_number_verified" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "address" jsonb;--> statement-breakpoint
ALTER TABLE "authorization_codes" ADD COLUMN "claims" jsonb;--> statement-breakpoint
ALTER TABLE "authorization_codes" ADD COLUMN "amr" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "authorization_codes" ADD COLUMN "acr" text;--> statement-breakpoint
ALTER TABLE "refresh_token_families" ADD COLUMN "claims" jsonb;--> statement-breakpoint
ALTER TABLE "refresh_token_families" ADD COLUMN "amr" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "refresh_token_families" ADD COLUMN "acr" text;--> statement-breakpoint
-- Public clients cannot authenticate: their method is 'none' (RFC 7591 §2).
UPDATE "clients" SET "token_endpoint_auth_method" = 'none' WHERE "type" = 'public';
