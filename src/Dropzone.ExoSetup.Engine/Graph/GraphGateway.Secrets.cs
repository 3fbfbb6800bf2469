using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Dropzone.ExoSetup.Engine.Errors;
using Dropzone.ExoSetup.Engine.Model;
using Microsoft.Graph.Models;

namespace Dropzone.ExoSetup.Engine.Graph
{
    /// <summary>A client secret just made: its details, and its value, which Graph returns this once.</summary>
    public sealed class NewSecret
    {
        internal NewSecret(ClientSecretDetails details, SecureString value)
        {
            Details = details;
            Value = value;
        }

        public ClientSecretDetails Details { get; }

        /// <summary>The secret's value, read-only. It reaches no log, stream or error.</summary>
        public SecureString Value { get; }
    }

    public sealed partial class GraphGateway
    {
        // "Credential lifetime exceeds the max value allowed as per assigned policy '{id}'." (400
        // CredentialInvalidLifetimeAsPerAppPolicy, seen in the field; the message names the policy, not its cap).
        private static readonly Regex PolicyInMessage = new Regex(@"policy '([0-9a-fA-F-]{36})'", RegexOptions.CultureInvariant);

        /// <summary>
        /// POST /applications/{id}/addPassword (api/application-addpassword.md): the only answer that
        /// holds the secret's value. Not sent again after a dropped connection or a 503/504 (a second
        /// secret could be made whose value nobody saw); a 429 is (Graph made nothing then). A tenant
        /// policy that caps lifetimes answers ClientSecretLifetimeExceedsPolicy naming the cap.
        /// </summary>
        public async Task<NewSecret> AddClientSecretAsync(ApplicationState state, string displayName, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
        {
            var request = _client.Applications[state.ObjectId].AddPassword.ToPostRequestInformation(
                new Microsoft.Graph.Applications.Item.AddPassword.AddPasswordPostRequestBody
                {
                    PasswordCredential = new PasswordCredential { DisplayName = displayName, StartDateTime = start, EndDateTime = end },
                });
            var call = new GraphCall("add-secret", request, GraphOperations.AddClientSecret) { Resendable = false };
            GraphReply reply;
            try
            {
                reply = (await ExecuteAsync(new[] { call }, cancellationToken).ConfigureAwait(false))[call.Id];
            }
            catch (DropzoneException e) when (e.ErrorId == ErrorIds.GraphUnreachable)
            {
                throw DropzoneErrors.ClientSecretOutcomeUnknown(state, e);
            }
            if (reply.Status == 503 || reply.Status == 504)
                throw DropzoneErrors.ClientSecretOutcomeUnknown(state, reply.ToException(GraphOperations.AddClientSecret));
            if (!reply.IsSuccess)
            {
                var (code, message) = reply.Error();
                if (reply.Status == 400 && string.Equals(code, "CredentialInvalidLifetimeAsPerAppPolicy", StringComparison.OrdinalIgnoreCase))
                {
                    var policyId = PolicyInMessage.Match(message ?? string.Empty) is var m && m.Success ? m.Groups[1].Value : null;
                    var (cap, why) = await PasswordLifetimeCapAsync(policyId, cancellationToken).ConfigureAwait(false);
                    throw DropzoneErrors.ClientSecretLifetimeExceedsPolicy(state, end - start, policyId, cap, why);
                }
                throw reply.ToException(GraphOperations.AddClientSecret);
            }
            var created = await reply.ReadAsync(PasswordCredential.CreateFromDiscriminatorValue, cancellationToken).ConfigureAwait(false);
            var value = new SecureString();
            foreach (var c in created.SecretText ?? string.Empty) value.AppendChar(c);
            value.MakeReadOnly();
            created.SecretText = null;
            return new NewSecret(ClientSecretDetails.From(created), value);
        }

        /// <summary>
        /// The passwordLifetime cap of the policy a refusal named: the one assigned to the app
        /// (GET /policies/appManagementPolicies/{id}) or else the tenant default
        /// (GET /policies/defaultAppManagementPolicy), read together. Reading needs
        /// Policy.Read.ApplicationConfiguration; without it the cap is unknown and the reason says so.
        /// </summary>
        private async Task<(TimeSpan? Cap, string Why)> PasswordLifetimeCapAsync(string policyId, CancellationToken cancellationToken)
        {
            var calls = new List<GraphCall>
            {
                new GraphCall("default-policy", _client.Policies.DefaultAppManagementPolicy.ToGetRequestInformation(), GraphOperations.ReadAppManagementPolicy),
            };
            if (policyId != null)
                calls.Add(new GraphCall("app-policy", _client.Policies.AppManagementPolicies[policyId].ToGetRequestInformation(), GraphOperations.ReadAppManagementPolicy));
            IReadOnlyDictionary<string, GraphReply> replies;
            try
            {
                replies = await ExecuteAsync(calls, cancellationToken).ConfigureAwait(false);
            }
            catch (DropzoneException e)
            {
                return (null, e.Message);
            }
            if (replies.TryGetValue("app-policy", out var own) && own.IsSuccess)
            {
                var policy = await own.ReadAsync(AppManagementPolicy.CreateFromDiscriminatorValue, cancellationToken).ConfigureAwait(false);
                var cap = LifetimeCap(policy?.Restrictions?.PasswordCredentials);
                if (cap != null) return (cap, null);
            }
            var fallback = replies["default-policy"];
            if (!fallback.IsSuccess) return (null, fallback.ToException(GraphOperations.ReadAppManagementPolicy).Message);
            var tenant = await fallback.ReadAsync(TenantAppManagementPolicy.CreateFromDiscriminatorValue, cancellationToken).ConfigureAwait(false);
            var tenantCap = LifetimeCap(tenant?.ApplicationRestrictions?.PasswordCredentials);
            return tenantCap != null ? (tenantCap, null) : (null, "the policy's passwordLifetime restriction could not be read");
        }

        private static TimeSpan? LifetimeCap(IEnumerable<PasswordCredentialConfiguration> restrictions) =>
            restrictions?.Where(r => r.RestrictionType == AppCredentialRestrictionType.PasswordLifetime && r.MaxLifetime.HasValue && r.State != AppManagementRestrictionState.Disabled)
                .Select(r => (TimeSpan?)r.MaxLifetime.Value).OrderBy(t => t).FirstOrDefault();

        /// <summary>
        /// POST /applications/{id}/removePassword for each key (api/application-removepassword.md),
        /// together in one round trip (batches of 20). Nothing else on the app is sent or touched.
        /// Returns the keys removed; the first refusal is thrown after every answer is in.
        /// </summary>
        public async Task<IReadOnlyList<Guid>> RemoveClientSecretsAsync(ApplicationState state, IReadOnlyList<Guid> keyIds, CancellationToken cancellationToken)
        {
            var removed = new List<Guid>();
            DropzoneException failure = null;
            for (var i = 0; i < keyIds.Count; i += MaxBatchSize)
            {
                var calls = keyIds.Skip(i).Take(MaxBatchSize).Select(k => new GraphCall("remove-" + k,
                    _client.Applications[state.ObjectId].RemovePassword.ToPostRequestInformation(
                        new Microsoft.Graph.Applications.Item.RemovePassword.RemovePasswordPostRequestBody { KeyId = k }),
                    GraphOperations.RemoveClientSecret)).ToList();
                var replies = await ExecuteAsync(calls, cancellationToken).ConfigureAwait(false);
                foreach (var key in keyIds.Skip(i).Take(MaxBatchSize))
                {
                    var reply = replies["remove-" + key];
                    if (reply.IsSuccess) removed.Add(key);
                    else failure = failure ?? reply.ToException(GraphOperations.RemoveClientSecret);
                }
            }
            if (failure != null) throw new ClientSecretsPartlyRemoved(removed, failure);
            return removed;
        }

        /// <summary>
        /// The service principals of the APIs the app asks permissions of (by appId, with their app
        /// roles, so permissions can be named): one round trip for up to 20 APIs. An API with no
        /// service principal in the tenant is absent from the answer.
        /// </summary>
        public async Task<IReadOnlyDictionary<Guid, ResourceApi>> ReadResourceApisAsync(IReadOnlyList<Guid> appIds, CancellationToken cancellationToken)
        {
            var found = new Dictionary<Guid, ResourceApi>();
            var ids = appIds.Distinct().ToList();
            for (var i = 0; i < ids.Count; i += MaxBatchSize)
            {
                var chunk = ids.Skip(i).Take(MaxBatchSize).ToList();
                var replies = await ExecuteAsync(chunk.Select(a => ServicePrincipalCall("api-" + a, a, new[] { "id", "appId", "displayName", "appRoles" })).ToList(), cancellationToken).ConfigureAwait(false);
                foreach (var appId in chunk)
                {
                    var sp = await ReadOptional(replies["api-" + appId], ServicePrincipal.CreateFromDiscriminatorValue, GraphOperations.ReadServicePrincipal, cancellationToken).ConfigureAwait(false);
                    if (sp != null)
                        found[appId] = new ResourceApi(appId, sp.Id, sp.DisplayName,
                            (sp.AppRoles ?? new List<AppRole>()).Where(r => r.Id.HasValue).ToDictionary(r => r.Id.Value, r => r.Value ?? r.DisplayName));
                }
            }
            return found;
        }
    }

    /// <summary>Some keys were removed before one was refused: which, and the refusal.</summary>
    public sealed class ClientSecretsPartlyRemoved : Exception
    {
        internal ClientSecretsPartlyRemoved(IReadOnlyList<Guid> removed, DropzoneException failure) : base(failure.Message, failure)
        {
            Removed = removed;
            Failure = failure;
        }

        public IReadOnlyList<Guid> Removed { get; }
        public DropzoneException Failure { get; }
    }
}
