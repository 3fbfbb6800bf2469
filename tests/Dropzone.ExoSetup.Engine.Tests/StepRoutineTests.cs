using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Dropzone.ExoSetup.Engine.Certificates;
using Dropzone.ExoSetup.Engine.Connection;
using Dropzone.ExoSetup.Engine.Diagnostics;
using Dropzone.ExoSetup.Engine.Errors;
using Dropzone.ExoSetup.Engine.Exchange;
using Dropzone.ExoSetup.Engine.Graph;
using Dropzone.ExoSetup.Engine.Model;
using Dropzone.ExoSetup.Engine.Planning;
using Dropzone.ExoSetup.Engine.Steps;
using TenantEmulator;
using Xunit;

namespace Dropzone.ExoSetup.Engine.Tests
{
    /// <summary>
    /// The step routines that every cmdlet calls (the step cmdlets, Install, Test, Uninstall), run
    /// without PowerShell: Graph over real HTTP to the in-process tenant emulator, Exchange in memory,
    /// and a host that answers -WhatIf/-Confirm as told and counts the questions.
    /// </summary>
    public sealed class StepRoutineTests : IAsyncLifetime
    {
        private static readonly Guid DropzoneAppId = new Guid("a7d1c3e5-2b4f-4c6a-9e8d-1f3b5d7a9c2e");
        private static readonly ReplicationRetry Quick = new ReplicationRetry { Timeout = TimeSpan.FromSeconds(5), FirstDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(20) };
        private EmulatorHost _emulator;
        private GraphConnection _graph;

        private enum Answer { Yes, No, WhatIf }

        /// <summary>A command's side as the routines see it: answers every question the same way, runs Graph work inline.</summary>
        private sealed class FakeHost : IStepHost, IOperationLog
        {
            private readonly Answer _answer;

            public FakeHost(Answer answer = Answer.Yes) => _answer = answer;

            public List<string> Asked { get; } = new List<string>();
            public List<string> Verbose { get; } = new List<string>();
            public List<OperationProgress> ProgressReports { get; } = new List<OperationProgress>();
            public bool WhatIfRequested { get; private set; }
            public bool WhatIf => _answer == Answer.WhatIf;
            public IOperationLog Log => this;

            // The log is written as it comes (a list), so waiting is just waiting.
            public T Await<T>(Task<T> value) => value.GetAwaiter().GetResult();
            public CancellationToken Cancellation => CancellationToken.None;

            public List<PlannedChange> Approve(IEnumerable<PlannedChange> changes)
            {
                var approved = new List<PlannedChange>();
                foreach (var change in changes)
                {
                    Asked.Add(change.Action);
                    if (_answer == Answer.Yes) approved.Add(change);
                    else if (_answer == Answer.WhatIf) WhatIfRequested = true;
                }
                return approved;
            }

            public T Run<T>(Func<CancellationToken, Task<T>> work, Action alongside = null)
            {
                var task = Task.Run(() => work(CancellationToken.None));
                alongside?.Invoke();
                return task.GetAwaiter().GetResult();
            }

            void IOperationLog.Verbose(string message) => Verbose.Add(message);
            void IOperationLog.Debug(string message) { }
            void IOperationLog.Warning(string message) { }
            void IOperationLog.Progress(OperationProgress progress) => ProgressReports.Add(progress);
        }

        public async Task InitializeAsync()
        {
            _emulator = await EmulatorHost.StartAsync(EmulatorStore.FromFile(GraphSetupPlanTests.TenantFile("default")));
            _graph = await GraphConnector.ConnectAsync(new SignInRequest
            {
                Method = SignInMethod.AccessToken,
                AccessToken = TokenTests.Secure("test-token"),
                GraphEndpoint = _emulator.BaseUri,
            }, CancellationToken.None);
        }

        public async Task DisposeAsync()
        {
            _graph.Dispose();
            await _emulator.DisposeAsync();
        }

        private static VendorCertificate Vendor() => CertificateReader.FromCertificate(TestCertificates.Valid(), null, DateTimeOffset.UtcNow);

        private IntegrationReport Install(IStepHost host, IExchangeGateway exchange, VendorCertificate certificate) =>
            IntegrationInstall.Run(host, _graph.Gateway, exchange, new InstallRequest
            {
                ApplicationId = DropzoneAppId,
                Certificate = certificate,
                Timeout = TimeSpan.FromSeconds(5),
            });

        private int GraphWrites() => _emulator.Store.Log.Entries().Count(e => (e.InBatch || e.Path != "/v1.0/$batch") && e.Method != "GET");

        private static Dictionary<SetupStep, StepStatus> Statuses(IntegrationReport report) => report.Steps.ToDictionary(s => s.Step, s => s.Status);

        [Fact]
        public void Install_on_a_fresh_tenant_does_every_step_in_order_with_two_exchange_calls()
        {
            var exchange = new ExchangeStepsTests.InMemoryExchange();

            var report = Install(new FakeHost(), exchange, Vendor());

            Assert.Null(report.Failure);
            Assert.Equal(new[] { SetupStep.Certificate, SetupStep.ExchangePermission, SetupStep.OrganizationId, SetupStep.ExchangeServicePrincipal, SetupStep.TransportHygiene },
                report.Steps.Select(s => s.Step));
            Assert.Equal(new[] { StepStatus.Done, StepStatus.Done, StepStatus.AlreadyDone, StepStatus.Done, StepStatus.Done }, report.Steps.Select(s => s.Status));
            Assert.Equal("contoso.onmicrosoft.com", report.OrganizationId);
            Assert.StartsWith("In the Dropzone AI UI", report.NextSteps);
            // Written first: a service principal registered moments ago holds no assignment, so no lookup.
            Assert.Equal(new[] { "New-ServicePrincipal", "New-ManagementRoleAssignment" }, exchange.Calls);
            var assignment = Assert.Single(exchange.Assignments);
            Assert.Equal(ExchangeSteps.AssignmentName(ExchangeSteps.DefaultRole, report.ServicePrincipalObjectId), assignment.Name);
        }

        [Fact]
        public void Install_a_second_time_writes_nothing_and_makes_one_exchange_call()
        {
            var exchange = new ExchangeStepsTests.InMemoryExchange();
            var certificate = Vendor();
            Install(new FakeHost(), exchange, certificate);
            _emulator.Store.Log.Clear();
            exchange.Calls.Clear();
            var host = new FakeHost();

            var report = Install(host, exchange, certificate);

            Assert.All(report.Steps, s => Assert.Equal(StepStatus.AlreadyDone, s.Status));
            Assert.Empty(host.Asked);
            Assert.Equal(0, GraphWrites());
            Assert.Equal(new[] { "Get-ManagementRoleAssignment -Role" }, exchange.Calls);
        }

        // Entra ID of the tenant as the emulator holds it, emptied of what the module writes there
        // (certificates, permissions, consent) while the app and its service principal stay.
        private void EmptyEntraKeepingTheServicePrincipal()
        {
            lock (_emulator.Store.Gate)
            {
                var app = _emulator.Store.Collection("applications").OfType<System.Text.Json.Nodes.JsonObject>().First(a => (string)a["appId"] == DropzoneAppId.ToString());
                app["keyCredentials"] = new System.Text.Json.Nodes.JsonArray();
                app["requiredResourceAccess"] = new System.Text.Json.Nodes.JsonArray();
                _emulator.Store.Collection("appRoleAssignments").Clear();
            }
        }

        [Fact]
        public void Install_where_Entra_is_done_and_Exchange_is_empty_makes_three_exchange_calls()
        {
            var certificate = Vendor();
            Install(new FakeHost(), new ExchangeStepsTests.InMemoryExchange(), certificate);
            var exchange = new ExchangeStepsTests.InMemoryExchange();
            _emulator.Store.Log.Clear();

            var report = Install(new FakeHost(), exchange, certificate);

            Assert.Null(report.Failure);
            Assert.Equal(0, GraphWrites());
            Assert.Equal(new[] { "Get-ManagementRoleAssignment -Role", "New-ServicePrincipal", "New-ManagementRoleAssignment" }, exchange.Calls);
            Assert.Equal(StepStatus.Done, Statuses(report)[SetupStep.ExchangeServicePrincipal]);
            Assert.Equal(StepStatus.Done, Statuses(report)[SetupStep.TransportHygiene]);
        }

        [Fact]
        public void Install_where_Exchange_is_done_and_Entra_is_empty_makes_three_exchange_calls_and_no_second_assignment()
        {
            var certificate = Vendor();
            var exchange = new ExchangeStepsTests.InMemoryExchange();
            Install(new FakeHost(), exchange, certificate);
            EmptyEntraKeepingTheServicePrincipal();
            exchange.Calls.Clear();

            var report = Install(new FakeHost(), exchange, certificate);

            Assert.Null(report.Failure);
            Assert.Equal(new[] { StepStatus.Done, StepStatus.Done, StepStatus.AlreadyDone, StepStatus.AlreadyDone, StepStatus.AlreadyDone }, report.Steps.Select(s => s.Status));
            Assert.Equal(new[] { "New-ServicePrincipal", "Get-ServicePrincipal", "Get-ManagementRoleAssignment -Role" }, exchange.Calls);
            Assert.Single(exchange.Assignments);
            Assert.Single(exchange.ServicePrincipals);
        }

        [Fact]
        public void Install_runs_the_exchange_steps_while_consent_waits_for_replication()
        {
            lock (_emulator.Store.Gate) _emulator.Store.ReplicationDelay = TimeSpan.FromSeconds(1.5);
            var consentAtExchangeWrites = new List<int>();
            var exchange = new ExchangeStepsTests.InMemoryExchange();
            exchange.OnCall = cmdlet =>
            {
                lock (_emulator.Store.Gate) consentAtExchangeWrites.Add(_emulator.Store.Collection("appRoleAssignments").Count);
            };

            var report = Install(new FakeHost(), exchange, Vendor());

            Assert.Null(report.Failure);
            Assert.All(report.Steps, step => Assert.NotEqual(StepStatus.Failed, step.Status));
            Assert.Equal(new[] { "New-ServicePrincipal", "New-ManagementRoleAssignment" }, exchange.Calls);
            // Both Exchange writes were made before Entra ID took the consent (it was refused for 1.5 s).
            Assert.Equal(new[] { 0, 0 }, consentAtExchangeWrites);
            lock (_emulator.Store.Gate) Assert.Single(_emulator.Store.Collection("appRoleAssignments"));
        }

        [Fact]
        public void Install_with_exchange_failing_keeps_the_entra_work_and_says_which_half_failed()
        {
            var exchange = new ExchangeStepsTests.InMemoryExchange { FailWith = "The operation couldn't be performed because of a policy." };

            var report = Install(new FakeHost(), exchange, Vendor());

            Assert.Equal(ErrorIds.ExchangeCommandFailed, report.Failure.ErrorId);
            Assert.Equal(new[] { StepStatus.Done, StepStatus.Done, StepStatus.AlreadyDone, StepStatus.Failed, StepStatus.Skipped },
                report.Steps.Select(s => s.Status));
            Assert.Contains("Exchange Online", report.NextSteps);
            lock (_emulator.Store.Gate) Assert.Single(_emulator.Store.Collection("appRoleAssignments"));
        }

        [Fact]
        public void Install_with_entra_failing_keeps_the_exchange_work_and_says_which_half_failed()
        {
            // The PATCH of the app is refused; the service principal is still created in the same batch.
            _emulator.Store.Faults.Add(Fault.Parse(new System.Text.Json.Nodes.JsonObject { ["method"] = "PATCH", ["path"] = "/v1.0/applications/*", ["status"] = 403 }));
            var exchange = new ExchangeStepsTests.InMemoryExchange();

            var report = Install(new FakeHost(), exchange, Vendor());

            Assert.Equal(StepStatus.Failed, Statuses(report)[SetupStep.Certificate]);
            Assert.Equal(StepStatus.Done, Statuses(report)[SetupStep.ExchangeServicePrincipal]);
            Assert.Equal(StepStatus.Done, Statuses(report)[SetupStep.TransportHygiene]);
            Assert.NotEqual(ErrorIds.ExchangeCommandFailed, report.Failure.ErrorId);
            Assert.Contains("Entra ID", report.NextSteps);
            Assert.Single(exchange.Assignments);
        }

        [Fact]
        public void Install_under_WhatIf_asks_about_every_change_and_writes_nothing()
        {
            var exchange = new ExchangeStepsTests.InMemoryExchange();
            var host = new FakeHost(Answer.WhatIf);
            _emulator.Store.Log.Clear();

            var report = Install(host, exchange, Vendor());

            Assert.True(host.WhatIfRequested);
            Assert.Equal(6, host.Asked.Count); // certificate, permission, service principal, consent; Exchange registration and role
            Assert.Contains(host.Asked, a => a.StartsWith("New-ServicePrincipal"));
            Assert.Contains(host.Asked, a => a.StartsWith("New-ManagementRoleAssignment"));
            Assert.Equal(0, GraphWrites());
            Assert.DoesNotContain(exchange.Calls, c => c.StartsWith("New-"));
            Assert.Null(report.Failure);
        }

        [Fact]
        public void Install_with_every_change_declined_writes_nothing_and_says_so()
        {
            var exchange = new ExchangeStepsTests.InMemoryExchange();
            _emulator.Store.Log.Clear();

            var report = Install(new FakeHost(Answer.No), exchange, Vendor());

            var statuses = Statuses(report);
            Assert.Equal(StepStatus.Skipped, statuses[SetupStep.Certificate]);
            Assert.Equal(StepStatus.Skipped, statuses[SetupStep.ExchangePermission]);
            Assert.Equal(StepStatus.Skipped, statuses[SetupStep.ExchangeServicePrincipal]);
            Assert.Equal(StepStatus.Skipped, statuses[SetupStep.TransportHygiene]);
            Assert.StartsWith("Some changes were declined", report.NextSteps);
            Assert.Equal(0, GraphWrites());
            Assert.DoesNotContain(exchange.Calls, c => c.StartsWith("New-"));
        }

        [Fact]
        public void Install_without_exchange_does_the_entra_steps_and_says_how_to_connect()
        {
            var report = Install(new FakeHost(), null, Vendor());

            var statuses = Statuses(report);
            Assert.Equal(StepStatus.Done, statuses[SetupStep.Certificate]);
            Assert.Equal(StepStatus.Skipped, statuses[SetupStep.ExchangeServicePrincipal]);
            Assert.Contains("Connect-ExchangeOnline", report.NextSteps);
        }

        [Fact]
        public void An_exchange_failure_is_reported_on_its_step_and_kept_for_the_caller()
        {
            var exchange = new ExchangeStepsTests.InMemoryExchange { FailWith = "Access denied." };

            var report = Install(new FakeHost(), exchange, Vendor());

            Assert.Equal(ErrorIds.ExchangeCommandFailed, report.Failure.ErrorId);
            var statuses = Statuses(report);
            Assert.Equal(StepStatus.Done, statuses[SetupStep.Certificate]);
            Assert.Equal(StepStatus.Failed, statuses[SetupStep.ExchangeServicePrincipal]);
            Assert.Equal(StepStatus.Skipped, statuses[SetupStep.TransportHygiene]);
            Assert.StartsWith("Fix the failed step", report.NextSteps);
        }

        [Fact]
        public void The_step_routines_of_the_step_cmdlets_find_what_install_made()
        {
            var exchange = new ExchangeStepsTests.InMemoryExchange();
            var certificate = Vendor();
            Install(new FakeHost(), exchange, certificate);
            var host = new FakeHost();

            var installed = CertificateStep.Install(host, _graph.Gateway, DropzoneAppId, certificate, "Dropzone AI", false, out _);
            var granted = PermissionStep.Grant(host, _graph.Gateway, DropzoneAppId, false, TimeSpan.FromSeconds(5));
            var registered = ExchangeServicePrincipalStep.Run(host, _graph.Gateway, new ExchangeLookup(exchange, DropzoneAppId), null, Quick, TimeSpan.Zero, out var enterprise);
            var assigned = TransportHygieneStep.Run(host, new ExchangeLookup(exchange, DropzoneAppId), Quick, out var servicePrincipal);

            Assert.False(installed.Added);
            Assert.Equal(StepStatus.AlreadyDone, installed.Status);
            Assert.Contains(host.Verbose, v => v.Contains("nothing to write"));
            Assert.Equal(PermissionGrant.AlreadyGranted, granted.Grant);
            Assert.Equal(ExchangeOutcome.AlreadyExists, registered.Outcome);
            Assert.Equal(enterprise.ObjectId, registered.Value.ObjectId);
            Assert.Equal(ExchangeOutcome.AlreadyExists, assigned.Outcome);
            Assert.Equal(enterprise.ObjectId, servicePrincipal.ObjectId);
            Assert.Empty(host.Asked);
        }

        [Fact]
        public async Task The_certificate_step_alone_adds_the_certificate_and_reports_its_key_id_on_the_app()
        {
            var host = new FakeHost();

            var certificate = Vendor();
            var outcome = CertificateStep.Install(host, _graph.Gateway, DropzoneAppId, certificate, "Dropzone AI", false, out var state);

            Assert.True(outcome.Added);
            Assert.Equal(StepStatus.Done, outcome.Status);
            Assert.Single(host.Asked);
            var after = await _graph.Gateway.ReadApplicationAsync(DropzoneAppId, ApplicationParts.Application, CancellationToken.None);
            Assert.Equal(outcome.KeyId, after.Certificates.Single(c => c.Thumbprint == certificate.Thumbprint).KeyId);
            Assert.Equal(state.Certificates.Count + 1, after.Certificates.Count);
        }

        [Fact]
        public void A_declined_step_cmdlet_routine_returns_nothing_to_write_out()
        {
            var host = new FakeHost(Answer.No);
            _emulator.Store.Log.Clear();

            Assert.Null(CertificateStep.Install(host, _graph.Gateway, DropzoneAppId, Vendor(), "Dropzone AI", false, out _));
            Assert.Null(PermissionStep.Grant(host, _graph.Gateway, DropzoneAppId, false, TimeSpan.FromSeconds(5)));
            Assert.Equal(0, GraphWrites());
        }

        [Fact]
        public void The_role_step_without_the_exchange_service_principal_is_ExchangeServicePrincipalMissing()
        {
            var exchange = new ExchangeStepsTests.InMemoryExchange();

            var error = Assert.Throws<DropzoneException>(() => TransportHygieneStep.Run(new FakeHost(), new ExchangeLookup(exchange, DropzoneAppId), Quick, out _));

            Assert.Equal(ErrorIds.ExchangeServicePrincipalMissing, error.ErrorId);
            Assert.DoesNotContain("New-ManagementRoleAssignment", exchange.Calls);
        }

        [Fact]
        public void Test_after_install_passes_every_check_and_after_uninstall_fails_them()
        {
            var exchange = new ExchangeStepsTests.InMemoryExchange();
            Install(new FakeHost(), exchange, Vendor());

            var checks = IntegrationTest.Run(new FakeHost(), _graph.Gateway, DropzoneAppId, exchange, null, null, null, TimeSpan.FromSeconds(5));

            Assert.Equal((SetupCheck[])Enum.GetValues(typeof(SetupCheck)), checks.Select(c => c.Check));
            Assert.All(checks, c => Assert.Equal(CheckStatus.Pass, c.Status));
            Assert.True(IntegrationTest.Passed(checks));

            var removed = IntegrationUninstall.Run(new FakeHost(), _graph.Gateway, DropzoneAppId, exchange, new UninstallRequest());
            Assert.Equal(SetupStep.TransportHygiene, removed.Steps.First().Step);
            Assert.All(removed.Steps, s => Assert.Equal(StepStatus.Done, s.Status));
            Assert.Empty(exchange.Assignments);
            Assert.Empty(exchange.ServicePrincipals);

            var after = IntegrationTest.Run(new FakeHost(), _graph.Gateway, DropzoneAppId, exchange, null, null, null, TimeSpan.FromSeconds(1));
            Assert.False(IntegrationTest.Passed(after));
            Assert.Equal(CheckStatus.Fail, after.Single(c => c.Check == SetupCheck.ExchangeServicePrincipal).Status);
            Assert.Equal(CheckStatus.Fail, after.Single(c => c.Check == SetupCheck.PermissionRequested).Status);
        }

        [Fact]
        public void Test_without_an_exchange_session_skips_the_exchange_checks_with_the_reason()
        {
            var notConnected = DropzoneErrors.ExchangeNotConnected("no session", "Connect-ExchangeOnline");

            var checks = IntegrationTest.Run(new FakeHost(), _graph.Gateway, DropzoneAppId, null, notConnected, null, null, TimeSpan.FromSeconds(1));

            var exchangeChecks = checks.Where(c => c.Check == SetupCheck.ExchangeServicePrincipal || c.Check == SetupCheck.TransportHygiene).ToList();
            Assert.Equal(2, exchangeChecks.Count);
            Assert.All(exchangeChecks, c => Assert.Equal(CheckStatus.Skipped, c.Status));
            Assert.All(exchangeChecks, c => Assert.Equal(notConnected.RecommendedAction, c.Remediation));
        }

        [Fact]
        public void Uninstall_under_WhatIf_returns_no_report_and_removes_nothing()
        {
            var exchange = new ExchangeStepsTests.InMemoryExchange();
            Install(new FakeHost(), exchange, Vendor());
            _emulator.Store.Log.Clear();
            var host = new FakeHost(Answer.WhatIf);

            Assert.Null(IntegrationUninstall.Run(host, _graph.Gateway, DropzoneAppId, exchange, new UninstallRequest()));
            Assert.NotEmpty(host.Asked);
            Assert.Equal(0, GraphWrites());
            Assert.Single(exchange.Assignments);
        }

        [Fact]
        public void The_organization_id_is_built_once_as_one_error_for_every_caller()
        {
            var none = new OrganizationInfo("6f2d4e1a-3c5b-4a7e-9d8f-1b2c3d4e5f60", "Contoso", null);

            var error = Assert.Throws<DropzoneException>(() => OrganizationIdStep.Require(none));
            var check = OrganizationIdStep.Check(none);
            var steps = new StepLog("test", null, SetupStep.OrganizationId);
            Assert.Throws<DropzoneException>(() => OrganizationIdStep.Record(steps, none, null));

            Assert.Equal(ErrorIds.OrganizationIdNotFound, error.ErrorId);
            Assert.Contains(none.TenantId, error.Message);
            Assert.Equal(CheckStatus.Fail, check.Status);
            Assert.Equal(error.Message, check.Detail);
            Assert.Equal(error.RecommendedAction, check.Remediation);
            var step = Assert.Single(steps.Reports());
            Assert.Equal(StepStatus.Failed, step.Status);
            Assert.Equal(error.Message, step.Detail);
            Assert.Equal("contoso.onmicrosoft.com", OrganizationIdStep.Require(new OrganizationInfo("t", "Contoso", "contoso.onmicrosoft.com")));
        }

        [Fact]
        public void A_step_log_lists_every_step_in_order_and_a_step_that_never_ran_as_not_run()
        {
            var host = new FakeHost();
            var steps = new StepLog("Installing", host.Log, SetupStep.Certificate, SetupStep.ExchangePermission);

            steps.Starting(SetupStep.ExchangePermission, "Writing");
            steps.Record(SetupStep.ExchangePermission, StepStatus.Failed, "boom");
            steps.Finished();

            Assert.Equal(new[] { SetupStep.Certificate, SetupStep.ExchangePermission }, steps.Reports().Select(r => r.Step));
            Assert.Equal("Not run: an earlier step failed.", steps.Reports()[0].Detail);
            Assert.True(steps.AnyFailed);
            Assert.False(steps.Complete);
            Assert.Equal("Step 2 of 2: ExchangePermission. Writing", host.ProgressReports[0].Status);
            Assert.Equal(50, host.ProgressReports[0].PercentComplete);
            Assert.True(host.ProgressReports[1].Completed);
        }
    }
}
