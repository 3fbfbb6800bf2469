using System;
using System.Collections.Generic;
using System.Linq;
using Dropzone.ExoSetup.Engine.Errors;
using Dropzone.ExoSetup.Engine.Graph;
using Dropzone.ExoSetup.Engine.Model;
using Dropzone.ExoSetup.Engine.Planning;

namespace Dropzone.ExoSetup.Engine.Steps
{
    /// <summary>
    /// The client secret the Dropzone AI UI's form asks for: "Your Dropzone integration will stop
    /// working when the client secret expires" (docs.dropzone.ai). The routine behind
    /// New-DropzoneClientSecret, Remove-DropzoneClientSecret and Test-DropzoneExoIntegration's check.
    /// Graph never shows a secret's value after addPassword (resources/passwordcredential.md).
    /// </summary>
    public static class ClientSecretStep
    {
        /// <summary>The vendor's guide makes secrets with a two-year expiry; so does Graph by default.</summary>
        public const int DefaultValidDays = 730;

        /// <summary>A secret expiring within this many days is a Warn.</summary>
        public const int WarnWithinDays = 30;

        private const string Remedy = "Make a new secret (New-DropzoneClientSecret -AsPlainText), paste it into the Dropzone AI UI as \"Client secret\", then remove the old one (Remove-DropzoneClientSecret -Expired, or -KeyId).";

        /// <summary>
        /// Test-: Pass when the newest secret is valid for 30 days or more; Warn when it expires
        /// sooner, or when expired secrets sit beside a valid one; Fail when every secret has
        /// expired. No secret at all is a Pass (a certificate-only set-up needs none).
        /// </summary>
        public static CheckResult Check(ApplicationState state, DateTimeOffset now)
        {
            var secrets = state.ClientSecrets;
            if (secrets.Count == 0)
                return CheckResult.Pass(SetupCheck.ClientSecretExpiry,
                    "The app has no client secret: a certificate-only set-up needs none. The Dropzone AI UI's form asks for one; New-DropzoneClientSecret makes it.");
            var newest = ClientSecretDetails.Newest(secrets);
            var expired = secrets.Where(s => s.IsExpired(now)).ToList();
            if (newest.IsExpired(now))
                return CheckResult.Fail(SetupCheck.ClientSecretExpiry,
                    $"Every client secret on the app has expired ({Describe(expired)}): the Dropzone AI integration cannot sign in with a secret.", Remedy);
            var left = newest.EndDateTime.HasValue ? newest.EndDateTime.Value - now : TimeSpan.MaxValue;
            if (left < TimeSpan.FromDays(WarnWithinDays))
                return CheckResult.Warn(SetupCheck.ClientSecretExpiry,
                    $"The newest client secret {newest.Describe()} expires in {Math.Max(0, (int)Math.Floor(left.TotalDays))} day(s); the integration stops working then.", Remedy);
            if (expired.Count > 0)
                return CheckResult.Warn(SetupCheck.ClientSecretExpiry,
                    $"The app still authenticates with {newest.Describe()}, but holds {Describe(expired)}, expired.",
                    $"Remove-DropzoneClientSecret -ApplicationId {state.AppId} -Expired (keeps every other secret).");
            return CheckResult.Pass(SetupCheck.ClientSecretExpiry, $"The newest client secret {newest.Describe()} is valid for {(int)Math.Floor(left.TotalDays)} more days.");
        }

        /// <summary>
        /// New-DropzoneClientSecret: read the app, approve, addPassword. The display name is "Dropzone
        /// AI yyyy-MM-dd"; the secret starts now and lasts <paramref name="validDays"/>. Null when
        /// declined (-WhatIf).
        /// </summary>
        public static NewSecret Add(IStepHost host, GraphGateway gateway, Guid appId, int validDays, DateTimeOffset now)
        {
            if (validDays < 1) throw new ArgumentOutOfRangeException(nameof(validDays));
            var state = host.Run(cancel => gateway.ReadApplicationAsync(appId, ApplicationParts.Application, cancel));
            var displayName = $"{WellKnown.DefaultDisplayName} {now.UtcDateTime:yyyy-MM-dd}";
            var end = now.AddDays(validDays);
            var change = new PlannedChange(ChangeKind.AddClientSecret, Target(state),
                $"Add client secret '{displayName}' valid until {end.UtcDateTime:yyyy-MM-dd} ({validDays} days)");
            if (host.Approve(new[] { change }).Count == 0) return null;
            var made = host.Run(cancel => gateway.AddClientSecretAsync(state, displayName, now, end, cancel));
            var kept = state.ClientSecrets.Count(s => !s.IsExpired(now));
            host.Log.Verbose($"Added client secret {made.Details.Describe()} to {state.DisplayName}; {kept} other valid secret(s) stay on the app.");
            return made;
        }

        /// <summary>
        /// Remove-DropzoneClientSecret: read the app, plan the removal of the keys named (every one
        /// must be on the app, else ClientSecretNotFound and nothing is removed) or of every expired
        /// secret, approve each, removePassword the approved ones. Every other credential stays.
        /// </summary>
        public static IReadOnlyList<ClientSecretDetails> Remove(IStepHost host, GraphGateway gateway, Guid appId, IReadOnlyList<Guid> keyIds, bool expired, DateTimeOffset now)
        {
            var state = host.Run(cancel => gateway.ReadApplicationAsync(appId, ApplicationParts.Application, cancel));
            var changes = PlanRemove(state, keyIds, expired, now);
            if (changes.Count == 0)
            {
                host.Log.Verbose($"{state.DisplayName} holds no expired client secret: nothing to remove.");
                return new ClientSecretDetails[0];
            }
            var approved = host.Approve(changes);
            if (approved.Count == 0) return new ClientSecretDetails[0];
            var left = state.ClientSecrets.Where(s => !approved.Any(c => c.ClientSecret.KeyId == s.KeyId) && !s.IsExpired(now)).ToList();
            if (left.Count == 0 && state.ClientSecrets.Any(s => !s.IsExpired(now)))
                host.Log.Warning($"No valid client secret will be left on {state.DisplayName}: the Dropzone AI integration cannot sign in with a secret until a new one is made (New-DropzoneClientSecret) and pasted into its UI.");
            try
            {
                host.Run(cancel => gateway.RemoveClientSecretsAsync(state, approved.Select(c => c.ClientSecret.KeyId).ToList(), cancel));
            }
            catch (ClientSecretsPartlyRemoved e)
            {
                if (e.Removed.Count > 0) host.Log.Verbose($"Removed before the refusal: {string.Join(", ", e.Removed)}.");
                throw e.Failure;
            }
            return approved.Select(c => c.ClientSecret).ToList();
        }

        /// <summary>The removals, one per secret; ClientSecretNotFound (listing what the app holds) for a key it does not hold.</summary>
        public static IReadOnlyList<PlannedChange> PlanRemove(ApplicationState state, IReadOnlyList<Guid> keyIds, bool expired, DateTimeOffset now)
        {
            var unknown = (keyIds ?? new Guid[0]).Where(k => state.ClientSecrets.All(s => s.KeyId != k)).ToList();
            if (unknown.Count > 0) throw DropzoneErrors.ClientSecretNotFound(state, unknown);
            var chosen = state.ClientSecrets.Where(s => (keyIds?.Contains(s.KeyId) ?? false) || (expired && s.IsExpired(now))).ToList();
            return chosen.Select(s => new PlannedChange(ChangeKind.RemoveClientSecret, Target(state),
                $"Remove client secret {s.Describe()}{(s.IsExpired(now) ? " (expired)" : string.Empty)}") { ClientSecret = s }).ToList();
        }

        private static string Target(ApplicationState state) => $"application '{state.DisplayName}' (appId {state.AppId})";

        private static string Describe(IReadOnlyCollection<ClientSecretDetails> secrets) =>
            string.Join(", ", secrets.Select(s => s.Describe()));
    }
}
