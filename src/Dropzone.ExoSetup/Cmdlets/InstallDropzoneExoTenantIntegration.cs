using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Threading.Tasks;
using Dropzone.ExoSetup.Engine.Certificates;
using Dropzone.ExoSetup.Engine.Connection;
using Dropzone.ExoSetup.Engine.Errors;
using Dropzone.ExoSetup.Engine.Exchange;
using Dropzone.ExoSetup.Engine.Model;
using Dropzone.ExoSetup.Engine.Steps;

namespace Dropzone.ExoSetup.Cmdlets
{
    /// <summary>
    /// Install-DropzoneExoTenantIntegration: the whole set-up in many customer tenants of a partner
    /// (MSSP), one row per tenant from the pipeline (Import-Csv), with one sign-in: each tenant's
    /// Graph token is got silently for the same account, and Exchange Online is connected with
    /// -DelegatedOrganization, used, and disconnected before the next tenant. Every row is checked
    /// (columns, certificate, thumbprint) before any tenant is touched; a tenant that fails is
    /// reported in its own result and the others go on. One result per tenant, a summary, -ReportPath.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Install, "DropzoneExoTenantIntegration", SupportsShouldProcess = true)]
    [OutputType(typeof(TenantIntegrationResult))]
    public sealed class InstallDropzoneExoTenantIntegration : DropzoneCmdlet
    {
        private const int ProgressActivityId = 7;
        private readonly List<TenantRow> _rows = new List<TenantRow>();
        private readonly List<TenantIntegrationResult> _results = new List<TenantIntegrationResult>();
        private TokenClaims _tenantClaims;

        /// <summary>The tenant at hand's token: what its writes are checked against before they are made.</summary>
        internal override TokenClaims ApprovalClaims => _tenantClaims ?? base.ApprovalClaims;

        /// <summary>The customer tenant: its tenant id (GUID) or initial *.onmicrosoft.com domain.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        public string TenantId { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Path")]
        [AllowEmptyString]
        public string CertificatePath { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        public string ExpectedThumbprint { get; set; }

        /// <summary>The tenant's "Dropzone AI" app by its Application (client) ID; empty: by DisplayName.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("AppId", "ClientId")]
        [AllowEmptyString]
        public string ApplicationId { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        public string DisplayName { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string CertificateDisplayName { get; set; } = WellKnown.DefaultDisplayName;

        /// <summary>Per tenant: how long to wait out replication (consent, Exchange).</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSeconds { get; set; } = 300;

        /// <summary>Writes every tenant's result there: .json, or .csv (one row per tenant).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ReportPath { get; set; }

        protected override void BeginProcessing()
        {
            if (ReportPath != null)
            {
                var extension = System.IO.Path.GetExtension(ReportPath).ToLowerInvariant();
                if (extension != ".json" && extension != ".csv")
                    ThrowTerminatingError(ErrorRecords.From(DropzoneErrors.InvalidSignInParameters($"-ReportPath must end in .json or .csv: '{ReportPath}'."), ReportPath));
            }
        }

        // Each row is checked as it arrives; nothing is read from any tenant before every row is in.
        protected override void ProcessRecordCore()
        {
            var tenant = (TenantId ?? string.Empty).Trim();
            try
            {
                if (tenant.Length == 0) throw DropzoneErrors.InvalidTenantRow(tenant, "TenantId is empty");
                if (_rows.Any(r => string.Equals(r.Tenant, tenant, StringComparison.OrdinalIgnoreCase)))
                    throw DropzoneErrors.InvalidTenantRow(tenant, "the tenant has another row already");
                if (string.IsNullOrWhiteSpace(CertificatePath)) throw DropzoneErrors.InvalidTenantRow(tenant, "CertificatePath is empty");
                if (string.IsNullOrWhiteSpace(ExpectedThumbprint)) throw DropzoneErrors.InvalidTenantRow(tenant, "ExpectedThumbprint is empty (each tenant has its own vendor certificate: the row must say which)");
                Guid? appId = null;
                if (!string.IsNullOrWhiteSpace(ApplicationId))
                {
                    if (!Guid.TryParse(ApplicationId, out var parsed)) throw DropzoneErrors.InvalidTenantRow(tenant, $"ApplicationId '{ApplicationId}' is not a GUID");
                    appId = parsed;
                }
                var certificate = ReadVendorCertificate(CertificatePath, null, ExpectedThumbprint);
                _rows.Add(new TenantRow(tenant, certificate, appId, string.IsNullOrWhiteSpace(DisplayName) ? WellKnown.DefaultDisplayName : DisplayName));
            }
            catch (DropzoneException e)
            {
                Report(TenantIntegrationResult.Failed(tenant, e), e);
            }
        }

        protected override void EndProcessing()
        {
            var partner = GraphSessions.Current;
            if (partner == null)
            {
                foreach (var row in _rows) Report(TenantIntegrationResult.Failed(row.Tenant, DropzoneErrors.GraphNotConnected()), DropzoneErrors.GraphNotConnected());
                Finish();
                return;
            }
            var exchange = new ExchangeGateway(this);
            // Graph work of the next tenants (sign-in to the tenant, the read and plan of step 1) runs
            // ahead, at most ReadAhead tenants in flight, while Exchange works here on the pipeline
            // thread for the tenant at hand. Writes stay in order: a tenant's are made when it is at hand.
            var ahead = new Task<TenantReady>[_rows.Count];
            try
            {
                for (var i = 0; i < _rows.Count; i++)
                {
                    for (var k = i; k < Math.Min(_rows.Count, i + ReadAhead); k++)
                        if (ahead[k] == null) ahead[k] = StartAhead(partner, _rows[k]);
                    var row = _rows[i];
                    WriteProgress(new ProgressRecord(ProgressActivityId, "Installing the Dropzone AI integration in many tenants", $"Tenant {i + 1} of {_rows.Count}: {row.Tenant}")
                    {
                        PercentComplete = 100 * i / Math.Max(1, _rows.Count),
                    });
                    Report(InstallOne(ahead[i], exchange, row));
                    ahead[i] = null;
                }
            }
            finally
            {
                // Stopped half-way: close what ran ahead for tenants never reached.
                foreach (var task in ahead.Where(t => t != null))
                    task.ContinueWith(t => { if (t.Status == TaskStatus.RanToCompletion) t.Result.Graph.Dispose(); }, TaskScheduler.Default);
            }
            WriteProgress(new ProgressRecord(ProgressActivityId, "Installing the Dropzone AI integration in many tenants", "Done") { RecordType = ProgressRecordType.Completed });
            Finish();
        }

        /// <summary>Tenants whose Graph sign-in and first read may run ahead of the one at hand (itself included).</summary>
        internal const int ReadAhead = 4;

        /// <summary>A row of the CSV, checked: what one tenant's set-up needs.</summary>
        private sealed class TenantRow
        {
            public TenantRow(string tenant, VendorCertificate certificate, Guid? appId, string displayName)
            {
                Tenant = tenant;
                Certificate = certificate;
                AppId = appId;
                DisplayName = displayName;
            }

            public string Tenant { get; }
            public VendorCertificate Certificate { get; }
            public Guid? AppId { get; }
            public string DisplayName { get; }
        }

        /// <summary>A tenant signed in and read ahead: its connection and the request whose plan read is done.</summary>
        private sealed class TenantReady
        {
            public GraphConnection Graph;
            public InstallRequest Request;
        }

        private Task<TenantReady> StartAhead(GraphConnection partner, TenantRow row)
        {
            var cancel = StopToken;
            return Task.Run(async () =>
            {
                var graph = await GraphConnector.ConnectTenantAsync(partner, row.Tenant, cancel).ConfigureAwait(false);
                try
                {
                    var request = Request(row, graph);
                    var plan = await IntegrationInstall.ReadAsync(graph.Gateway, request, cancel).ConfigureAwait(false);
                    request.PlanRead = Task.FromResult(plan);
                    return new TenantReady { Graph = graph, Request = request };
                }
                catch
                {
                    graph.Dispose();
                    throw;
                }
            });
        }

        private InstallRequest Request(TenantRow row, GraphConnection graph) => new InstallRequest
        {
            ApplicationId = row.AppId,
            DisplayName = row.DisplayName,
            Certificate = row.Certificate,
            CertificateDisplayName = CertificateDisplayName,
            Timeout = TimeSpan.FromSeconds(TimeoutSeconds),
            TenantId = graph.Context.TenantId,
            Account = graph.Context.Account,
        };

        private TenantIntegrationResult InstallOne(Task<TenantReady> ahead, ExchangeGateway exchange, TenantRow row)
        {
            GraphConnection tenantGraph = null;
            var connected = false;
            try
            {
                var ready = Run(cancel => ahead);
                tenantGraph = ready.Graph;
                _tenantClaims = tenantGraph.Claims;
                WriteVerbose($"Tenant {row.Tenant}: Graph connected to {tenantGraph.Context.TenantId} ({tenantGraph.Context.TenantDisplayName}).");
                try
                {
                    exchange.ConnectDelegated(tenantGraph.Context.InitialDomain ?? row.Tenant, tenantGraph.Context.Account, tenantGraph.Context.ExchangeEnvironmentName);
                    connected = true;
                    exchange.RequireConnection();
                }
                catch (ExchangeCommandException e)
                {
                    throw DropzoneErrors.ExchangeCommandFailed(e);
                }
                var report = IntegrationInstall.Run(StepHost, tenantGraph.Gateway, exchange, ready.Request);
                return TenantIntegrationResult.From(row.Tenant, report, WhatIfRequested);
            }
            catch (DropzoneException e)
            {
                return TenantIntegrationResult.Failed(row.Tenant, e);
            }
            catch (Exception e) when (!(e is PipelineStoppedException) && !(e is OperationCanceledException) && !(e is RuntimeException))
            {
                return TenantIntegrationResult.Failed(row.Tenant, ErrorTranslator.Translate(e, Engine.Graph.GraphOperations.Unknown));
            }
            finally
            {
                if (connected)
                {
                    try
                    {
                        exchange.Disconnect();
                    }
                    catch (ExchangeCommandException e)
                    {
                        WriteWarning($"Tenant {row.Tenant}: Disconnect-ExchangeOnline failed: {e.Message}");
                    }
                }
                tenantGraph?.Dispose();
                _tenantClaims = null;
            }
        }

        private void Report(TenantIntegrationResult result, DropzoneException error = null)
        {
            _results.Add(result);
            WriteObject(result);
            if (result.Status == TenantIntegrationStatus.Failed)
            {
                var e = error ?? new DropzoneException(result.ErrorId ?? ErrorIds.UnexpectedError, ErrorKind.InvalidOperation,
                    $"Tenant {result.TenantId}: {result.Error}", result.RecommendedAction, result.TenantId);
                WriteError(ErrorRecords.From(e, result.TenantId));
            }
        }

        private void Finish()
        {
            var done = _results.Count(r => r.Status == TenantIntegrationStatus.Done);
            var already = _results.Count(r => r.Status == TenantIntegrationStatus.AlreadyDone);
            var failed = _results.Count(r => r.Status == TenantIntegrationStatus.Failed);
            var incomplete = _results.Count(r => r.Status == TenantIntegrationStatus.Incomplete);
            var summary = WhatIfRequested
                ? $"{_results.Count} tenant(s): plans listed, nothing written ({failed} could not be planned)."
                : $"{_results.Count} tenant(s): {done} done, {already} already done, {failed} failed" + (incomplete > 0 ? $", {incomplete} incomplete (changes declined)." : ".");
            WriteInformation(new InformationRecord(new HostInformationMessage { Message = summary }, "Install-DropzoneExoTenantIntegration"), new[] { "PSHOST" });
            if (ReportPath != null) WriteReport(SessionState.Path.GetUnresolvedProviderPathFromPSPath(ReportPath));
        }

        private void WriteReport(string path)
        {
            if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            {
                var text = new StringBuilder("TenantId,DirectoryTenantId,Status,OrganizationId,ApplicationClientId,ErrorId,Error,Steps\n");
                foreach (var r in _results)
                    text.Append(string.Join(",", new[]
                    {
                        r.TenantId, r.DirectoryTenantId, r.Status.ToString(), r.OrganizationId, r.DropzoneForm?.ApplicationClientId.ToString(), r.ErrorId, r.Error,
                        string.Join("; ", r.Steps.Select(s => $"{s.Name}: {s.Status}")),
                    }.Select(Csv))).Append('\n');
                File.WriteAllText(path, text.ToString());
                return;
            }
            var array = new System.Text.Json.Nodes.JsonArray();
            foreach (var r in _results)
                array.Add(new System.Text.Json.Nodes.JsonObject
                {
                    ["tenantId"] = r.TenantId, ["directoryTenantId"] = r.DirectoryTenantId, ["status"] = r.Status.ToString(),
                    ["organizationId"] = r.OrganizationId, ["applicationClientId"] = r.DropzoneForm?.ApplicationClientId.ToString(),
                    ["errorId"] = r.ErrorId, ["error"] = r.Error, ["recommendedAction"] = r.RecommendedAction,
                    ["steps"] = new System.Text.Json.Nodes.JsonArray(r.Steps.Select(s => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject
                    {
                        ["name"] = s.Name, ["status"] = s.Status.ToString(), ["detail"] = s.Detail,
                    }).ToArray()),
                });
            File.WriteAllText(path, array.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        }

        private static string Csv(string value) =>
            value == null ? string.Empty : value.IndexOfAny(new[] { ',', '"', '\n', '\r' }) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
