using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Dropzone.ExoSetup.Engine.Diagnostics;
using Dropzone.ExoSetup.Engine.Errors;
using Dropzone.ExoSetup.Engine.Exchange;
using Dropzone.ExoSetup.Engine.Model;
using Dropzone.ExoSetup.Engine.Planning;
using Xunit;

namespace Dropzone.ExoSetup.Engine.Tests
{
    public class ExchangeStepsTests
    {
        private static readonly Guid AppId = Guid.NewGuid();
        private static readonly ServicePrincipalInfo Enterprise = new ServicePrincipalInfo(Guid.NewGuid().ToString(), AppId, "Dropzone AI");
        private static readonly ReplicationRetry Quick = new ReplicationRetry { Timeout = TimeSpan.FromSeconds(5), FirstDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(20) };

        /// <summary>Exchange in memory, with Exchange's awkward habits switchable.</summary>
        private sealed class InMemoryExchange : IExchangeGateway
        {
            public List<ExchangeServicePrincipal> ServicePrincipals { get; } = new List<ExchangeServicePrincipal>();
            public List<ExchangeRoleAssignment> Assignments { get; } = new List<ExchangeRoleAssignment>();
            public int NotReplicatedFor { get; set; }
            public bool CreateDespiteError { get; set; }
            public string FailWith { get; set; }
            public int NewServicePrincipalCalls { get; private set; }
            public int NewRoleAssignmentCalls { get; private set; }

            public ExchangeConnection RequireConnection() => new ExchangeConnection { State = "Connected" };

            // Like Exchange with an unknown identity: everything comes back.
            public IReadOnlyList<ExchangeServicePrincipal> GetServicePrincipals(string identity) => ServicePrincipals.ToList();

            public ExchangeServicePrincipal NewServicePrincipal(Guid appId, string objectId, string displayName)
            {
                NewServicePrincipalCalls++;
                var sp = new ExchangeServicePrincipal { AppId = appId.ToString(), ObjectId = objectId, DisplayName = displayName, Identity = objectId };
                Fail("New-ServicePrincipal", () => ServicePrincipals.Add(sp));
                ServicePrincipals.Add(sp);
                return sp;
            }

            public void RemoveServicePrincipal(string identity) => ServicePrincipals.RemoveAll(s => s.ObjectId == identity);

            public IReadOnlyList<ExchangeRoleAssignment> GetRoleAssignments(string role) => Assignments.ToList();

            public ExchangeRoleAssignment NewRoleAssignment(string app, string role)
            {
                NewRoleAssignmentCalls++;
                var assignment = new ExchangeRoleAssignment { Name = $"{role}-{app}", Role = role, RoleAssigneeName = app, RoleAssigneeType = "ServicePrincipal" };
                Fail("New-ManagementRoleAssignment", () => Assignments.Add(assignment));
                Assignments.Add(assignment);
                return assignment;
            }

            public void RemoveRoleAssignment(string identity) => Assignments.RemoveAll(a => a.Name == identity);

            private void Fail(string command, Action sideEffect)
            {
                if (FailWith != null) throw new ExchangeCommandException(command, FailWith, "SomeException", null);
                if (NotReplicatedFor <= 0) return;
                NotReplicatedFor--;
                if (CreateDespiteError) sideEffect();
                throw new ExchangeCommandException(command,
                    $"The service principal with ObjectId '{Enterprise.ObjectId}' could not be found in Azure Active Directory.", "ServicePrincipalNotFoundInDirectoryException", null);
            }
        }

        private static ExchangeServicePrincipal Other() => new ExchangeServicePrincipal { AppId = Guid.NewGuid().ToString(), ObjectId = Guid.NewGuid().ToString(), DisplayName = "Other app" };

        [Fact]
        public void Get_ServicePrincipal_answers_are_filtered_by_AppId()
        {
            var exchange = new InMemoryExchange();
            exchange.ServicePrincipals.AddRange(new[] { Other(), Other() });
            Assert.Null(ExchangeSteps.FindServicePrincipal(exchange, AppId));
            exchange.ServicePrincipals.Add(new ExchangeServicePrincipal { AppId = AppId.ToString(), ObjectId = Enterprise.ObjectId });
            Assert.Equal(Enterprise.ObjectId, ExchangeSteps.FindServicePrincipal(exchange, AppId).ObjectId);
        }

        [Fact]
        public void The_plan_registers_the_enterprise_applications_object_id()
        {
            var change = ExchangeSteps.PlanServicePrincipal(null, Enterprise, "Dropzone AI");
            Assert.Equal(ChangeKind.CreateExchangeServicePrincipal, change.Kind);
            Assert.Contains($"-ObjectId {Enterprise.ObjectId}", change.Action);
            Assert.Null(ExchangeSteps.PlanServicePrincipal(new ExchangeServicePrincipal { AppId = AppId.ToString(), ObjectId = Enterprise.ObjectId.ToUpperInvariant() }, Enterprise, "x"));
        }

        [Fact]
        public void A_registration_with_another_object_id_is_an_error_not_a_second_registration()
        {
            var wrong = new ExchangeServicePrincipal { AppId = AppId.ToString(), ObjectId = Guid.NewGuid().ToString() };
            var error = Assert.Throws<DropzoneException>(() => ExchangeSteps.PlanServicePrincipal(wrong, Enterprise, "x"));
            Assert.Equal(ErrorIds.ExchangeServicePrincipalMismatch, error.ErrorId);
            Assert.Contains("Remove-ServicePrincipal", error.RecommendedAction);
        }

        [Fact]
        public void Replication_errors_are_retried_until_Exchange_knows_the_service_principal()
        {
            var exchange = new InMemoryExchange { NotReplicatedFor = 2 };
            var created = ExchangeSteps.CreateServicePrincipal(exchange, Enterprise, "Dropzone AI", Quick, NullOperationLog.Instance, CancellationToken.None);
            Assert.Equal(Enterprise.ObjectId, created.ObjectId);
            Assert.Equal(3, exchange.NewServicePrincipalCalls);
            Assert.Single(exchange.ServicePrincipals);
        }

        [Fact]
        public void A_call_that_failed_but_created_is_found_before_a_retry_so_nothing_is_duplicated()
        {
            var exchange = new InMemoryExchange { NotReplicatedFor = 1, CreateDespiteError = true };
            ExchangeSteps.CreateServicePrincipal(exchange, Enterprise, "Dropzone AI", Quick, NullOperationLog.Instance, CancellationToken.None);
            Assert.Equal(1, exchange.NewServicePrincipalCalls);
            Assert.Single(exchange.ServicePrincipals);
        }

        [Fact]
        public void Replication_that_outlasts_the_timeout_is_ExchangeReplicationTimeout()
        {
            var exchange = new InMemoryExchange { NotReplicatedFor = int.MaxValue };
            var retry = new ReplicationRetry { Timeout = TimeSpan.FromMilliseconds(200), FirstDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(40) };
            var error = Assert.Throws<DropzoneException>(() => ExchangeSteps.CreateServicePrincipal(exchange, Enterprise, "x", retry, NullOperationLog.Instance, CancellationToken.None));
            Assert.Equal(ErrorIds.ExchangeReplicationTimeout, error.ErrorId);
            Assert.True(exchange.NewServicePrincipalCalls >= 2);
            Assert.Empty(exchange.ServicePrincipals);
        }

        [Fact]
        public void Other_errors_are_not_retried_and_carry_exchanges_message_and_cmdlet()
        {
            var exchange = new InMemoryExchange { FailWith = "The operation couldn't be performed because of a policy." };
            var error = Assert.Throws<DropzoneException>(() => ExchangeSteps.CreateRoleAssignment(exchange, "Transport Hygiene",
                new ExchangeServicePrincipal { AppId = AppId.ToString(), ObjectId = Enterprise.ObjectId }, Quick, NullOperationLog.Instance, CancellationToken.None));
            Assert.Equal(ErrorIds.ExchangeCommandFailed, error.ErrorId);
            Assert.Contains("New-ManagementRoleAssignment", error.Message);
            Assert.Contains("because of a policy", error.Message);
            Assert.Equal(1, exchange.NewRoleAssignmentCalls);
        }

        [Fact]
        public void Cancellation_stops_the_wait()
        {
            var exchange = new InMemoryExchange { NotReplicatedFor = int.MaxValue };
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            var retry = new ReplicationRetry { Timeout = TimeSpan.FromMinutes(5), FirstDelay = TimeSpan.FromSeconds(30) };
            Assert.ThrowsAny<OperationCanceledException>(() => ExchangeSteps.CreateServicePrincipal(exchange, Enterprise, "x", retry, NullOperationLog.Instance, cancel.Token));
        }

        [Fact]
        public void The_role_assignment_is_found_by_the_object_id_and_role_only()
        {
            var exchange = new InMemoryExchange();
            var sp = new ExchangeServicePrincipal { AppId = AppId.ToString(), ObjectId = Enterprise.ObjectId };
            exchange.Assignments.Add(new ExchangeRoleAssignment { Name = "a", Role = "Transport Hygiene", RoleAssigneeName = Guid.NewGuid().ToString() });
            exchange.Assignments.Add(new ExchangeRoleAssignment { Name = "b", Role = "Mail Recipients", RoleAssigneeName = Enterprise.ObjectId });
            Assert.Null(ExchangeSteps.FindRoleAssignment(exchange, "Transport Hygiene", sp));
            exchange.Assignments.Add(new ExchangeRoleAssignment { Name = "c", Role = "Transport Hygiene", RoleAssigneeName = Enterprise.ObjectId });
            Assert.Equal("c", ExchangeSteps.FindRoleAssignment(exchange, "transport hygiene", sp).Name);
            Assert.Null(ExchangeSteps.PlanRoleAssignment(ExchangeSteps.FindRoleAssignment(exchange, "Transport Hygiene", sp), sp, "Transport Hygiene"));
        }

        [Fact]
        public void The_role_assignment_waits_out_replication_too_without_duplicates()
        {
            var exchange = new InMemoryExchange { NotReplicatedFor = 2 };
            var sp = new ExchangeServicePrincipal { AppId = AppId.ToString(), ObjectId = Enterprise.ObjectId };
            var created = ExchangeSteps.CreateRoleAssignment(exchange, "Transport Hygiene", sp, Quick, NullOperationLog.Instance, CancellationToken.None);
            Assert.Equal(Enterprise.ObjectId, created.RoleAssigneeName);
            Assert.Single(exchange.Assignments);
        }

        [Theory]
        [InlineData("The service principal with ObjectId 'x' could not be found in Azure Active Directory.", true)]
        [InlineData("Object 'x' couldn't be found in Azure AD.", true)]
        [InlineData("The app wasn't found in Microsoft Entra ID yet.", true)]
        [InlineData("The role 'Transport Hygiene' couldn't be found on 'DC01'.", false)]
        [InlineData("Access denied.", false)]
        public void Replication_is_told_from_other_errors_by_exchanges_wording(string message, bool replication)
        {
            Assert.Equal(replication, ExchangeSteps.IsReplicationDelay(new ExchangeCommandException("New-ServicePrincipal", message, "X", null)));
        }
    }
}
