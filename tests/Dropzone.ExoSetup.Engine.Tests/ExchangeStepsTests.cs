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
        private const string Role = "Transport Hygiene";

        // The two wordings of "not replicated yet" (/work/shared/reference/graph-and-exchange.md): the
        // invented one, and Exchange's usual not-found text; {0} is the object the call named.
        private const string AzureAdWording = "The service principal with ObjectId '{0}' could not be found in Azure Active Directory.";
        private const string ObjectNotFoundWording = "The operation couldn't be performed because object '{0}' couldn't be found on 'EMU01DC01.PROD.OUTLOOK.COM'.";

        /// <summary>Exchange in memory, with Exchange's awkward habits switchable, counting every call by cmdlet.</summary>
        internal sealed class InMemoryExchange : IExchangeGateway
        {
            public List<ExchangeServicePrincipal> ServicePrincipals { get; } = new List<ExchangeServicePrincipal>();
            public List<ExchangeRoleAssignment> Assignments { get; } = new List<ExchangeRoleAssignment>();
            public int NotReplicatedFor { get; set; }
            public string ReplicationWording { get; set; } = AzureAdWording;
            public bool CreateDespiteError { get; set; }
            public string FailWith { get; set; }
            public bool ShowAssigneeByDisplayName { get; set; }
            public List<string> Calls { get; } = new List<string>();

            /// <summary>Told each cmdlet as it is called (before it acts).</summary>
            public Action<string> OnCall { get; set; }
            public int Count(string cmdlet) => Calls.Count(c => c == cmdlet);

            public ExchangeConnection RequireConnection() => new ExchangeConnection { State = "Connected" };

            // Like Exchange with an unknown identity: everything comes back.
            public IReadOnlyList<ExchangeServicePrincipal> GetServicePrincipals(string identity)
            {
                Calls.Add("Get-ServicePrincipal"); OnCall?.Invoke("Get-ServicePrincipal");
                return ServicePrincipals.ToList();
            }

            /// <summary>Another admin registers this one just before New-ServicePrincipal runs.</summary>
            public ExchangeServicePrincipal RegisteredBySecondAdmin { get; set; }

            public ExchangeServicePrincipal NewServicePrincipal(Guid appId, string objectId, string displayName)
            {
                Calls.Add("New-ServicePrincipal"); OnCall?.Invoke("New-ServicePrincipal");
                if (RegisteredBySecondAdmin != null)
                {
                    ServicePrincipals.Add(RegisteredBySecondAdmin);
                    RegisteredBySecondAdmin = null;
                }
                // What Exchange answers for a duplicate (the emulator's ExchangeCmdlets.cs; CIPP-API matches "already exist").
                var duplicate = ServicePrincipals.FirstOrDefault(s => s.AppId == appId.ToString());
                if (duplicate != null)
                    throw new ExchangeCommandException("New-ServicePrincipal",
                        $"A service principal with AppId '{duplicate.AppId}' and ObjectId '{duplicate.ObjectId}' already exists in the organization.", "ADObjectAlreadyExistsException", null);
                var sp = new ExchangeServicePrincipal { AppId = appId.ToString(), ObjectId = objectId, DisplayName = displayName, Identity = objectId };
                Fail("New-ServicePrincipal", objectId, () => ServicePrincipals.Add(sp));
                ServicePrincipals.Add(sp);
                return sp;
            }

            public void RemoveServicePrincipal(string identity) => ServicePrincipals.RemoveAll(s => s.ObjectId == identity);

            public IReadOnlyList<ExchangeRoleAssignment> GetRoleAssignments(string role)
            {
                Calls.Add("Get-ManagementRoleAssignment -Role"); OnCall?.Invoke("Get-ManagementRoleAssignment -Role");
                return Assignments.Select(Shown).ToList();
            }

            public IReadOnlyList<ExchangeRoleAssignment> GetRoleAssignment(string identity)
            {
                Calls.Add("Get-ManagementRoleAssignment -Identity"); OnCall?.Invoke("Get-ManagementRoleAssignment -Identity");
                var found = Assignments.Where(a => a.Name == identity).Select(Shown).ToList();
                if (found.Count == 0)
                    throw new ExchangeCommandException("Get-ManagementRoleAssignment", string.Format(ObjectNotFoundWording, identity), "ManagementObjectNotFoundException", null);
                return found;
            }

            public ExchangeRoleAssignment NewRoleAssignment(string name, string app, string role)
            {
                Calls.Add("New-ManagementRoleAssignment"); OnCall?.Invoke("New-ManagementRoleAssignment");
                var assignment = new ExchangeRoleAssignment { Name = name ?? $"{role}-{app}", Role = role, RoleAssignee = app, RoleAssigneeName = app, RoleAssigneeType = "ServicePrincipal" };
                Fail("New-ManagementRoleAssignment", app, () => Assignments.Add(assignment));
                Assignments.Add(assignment);
                return assignment;
            }

            public void RemoveRoleAssignment(string identity) => Assignments.RemoveAll(a => a.Name == identity);

            private ExchangeRoleAssignment Shown(ExchangeRoleAssignment stored)
            {
                if (!ShowAssigneeByDisplayName) return stored;
                var name = ServicePrincipals.FirstOrDefault(s => s.ObjectId == stored.RoleAssignee)?.DisplayName ?? stored.RoleAssignee;
                return new ExchangeRoleAssignment { Name = stored.Name, Role = stored.Role, RoleAssignee = name, RoleAssigneeName = name, RoleAssigneeType = stored.RoleAssigneeType };
            }

            private void Fail(string command, string named, Action sideEffect)
            {
                if (FailWith != null) throw new ExchangeCommandException(command, FailWith, "SomeException", null);
                if (NotReplicatedFor <= 0) return;
                NotReplicatedFor--;
                if (CreateDespiteError) sideEffect();
                var errorId = ReplicationWording == ObjectNotFoundWording ? "ManagementObjectNotFoundException" : "ServicePrincipalNotFoundInDirectoryException";
                throw new ExchangeCommandException(command, string.Format(ReplicationWording, named), errorId, null);
            }
        }

        [Fact]
        public void A_service_principal_a_second_admin_registered_meanwhile_is_taken_as_registered()
        {
            var exchange = new InMemoryExchange { RegisteredBySecondAdmin = Ours() };
            var registered = ExchangeSteps.CreateServicePrincipal(exchange, Enterprise, "Dropzone AI", Quick, NullOperationLog.Instance, CancellationToken.None);
            Assert.Equal(Enterprise.ObjectId, registered.ObjectId);
            Assert.True(registered.RegisteredMeanwhile);
            Assert.Single(exchange.ServicePrincipals);
            Assert.Equal(1, exchange.Count("New-ServicePrincipal"));
        }

        [Fact]
        public void Already_exists_for_another_object_id_is_not_taken_as_done()
        {
            var someoneElses = Ours();
            someoneElses.ObjectId = Guid.NewGuid().ToString();
            var exchange = new InMemoryExchange { RegisteredBySecondAdmin = someoneElses };
            var error = Assert.Throws<DropzoneException>(() => ExchangeSteps.CreateServicePrincipal(exchange, Enterprise, "Dropzone AI", Quick, NullOperationLog.Instance, CancellationToken.None));
            Assert.Equal(ErrorIds.ExchangeServicePrincipalMismatch, error.ErrorId);
            Assert.Contains(someoneElses.ObjectId, error.Message);
            Assert.Equal(new[] { "New-ServicePrincipal", "Get-ServicePrincipal" }, exchange.Calls);
        }

        private static ExchangeServicePrincipal Other(string displayName = "Other app") =>
            new ExchangeServicePrincipal { AppId = Guid.NewGuid().ToString(), ObjectId = Guid.NewGuid().ToString(), DisplayName = displayName };

        private static ExchangeServicePrincipal Ours() =>
            new ExchangeServicePrincipal { AppId = AppId.ToString(), ObjectId = Enterprise.ObjectId, DisplayName = "Dropzone AI", Identity = Enterprise.ObjectId, Name = Enterprise.ObjectId };

        [Fact]
        public void Get_ServicePrincipal_answers_are_filtered_by_AppId()
        {
            var exchange = new InMemoryExchange();
            exchange.ServicePrincipals.AddRange(new[] { Other(), Other() });
            Assert.Null(new ExchangeLookup(exchange, AppId).Registered);
            exchange.ServicePrincipals.Add(new ExchangeServicePrincipal { AppId = AppId.ToString(), ObjectId = Enterprise.ObjectId });
            Assert.Equal(Enterprise.ObjectId, new ExchangeLookup(exchange, AppId).Registered.ObjectId);
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
        public void The_assignment_name_is_the_role_and_the_object_id_unique_per_role_and_at_most_64_characters()
        {
            var objectId = Enterprise.ObjectId.ToUpperInvariant();
            Assert.Equal($"Transport Hygiene-{Enterprise.ObjectId.ToLowerInvariant()}", ExchangeSteps.AssignmentName(Role, objectId));
            var read = ExchangeSteps.AssignmentName("Application MailboxSettings.Read", objectId);
            var readWrite = ExchangeSteps.AssignmentName("Application MailboxSettings.ReadWrite", objectId);
            Assert.True(read.Length <= ExchangeSteps.MaxAssignmentNameLength, read);
            Assert.True(readWrite.Length <= ExchangeSteps.MaxAssignmentNameLength, readWrite);
            Assert.NotEqual(read, readWrite);
            Assert.EndsWith(Enterprise.ObjectId.ToLowerInvariant(), readWrite);
            Assert.Equal(readWrite, ExchangeSteps.AssignmentName("Application MailboxSettings.ReadWrite", objectId));
            Assert.NotEqual(ExchangeSteps.AssignmentName(Role, Guid.NewGuid().ToString()), ExchangeSteps.AssignmentName(Role, objectId));
        }

        [Theory]
        [InlineData(AzureAdWording)]
        [InlineData(ObjectNotFoundWording)]
        public void Replication_errors_of_either_wording_are_retried_until_Exchange_knows_the_service_principal_with_no_look_between(string wording)
        {
            var exchange = new InMemoryExchange { NotReplicatedFor = 2, ReplicationWording = wording };
            var created = ExchangeSteps.CreateServicePrincipal(exchange, Enterprise, "Dropzone AI", Quick, NullOperationLog.Instance, CancellationToken.None);
            Assert.Equal(Enterprise.ObjectId, created.ObjectId);
            Assert.Equal(3, exchange.Count("New-ServicePrincipal"));
            Assert.Equal(0, exchange.Count("Get-ServicePrincipal"));   // a retry that finds it registered answers "already exists"
            Assert.Single(exchange.ServicePrincipals);
        }

        [Theory]
        [InlineData(AzureAdWording)]
        [InlineData(ObjectNotFoundWording)]
        public void The_role_assignment_waits_out_replication_in_either_wording_and_looks_by_name_before_each_retry(string wording)
        {
            var exchange = new InMemoryExchange { NotReplicatedFor = 2, ReplicationWording = wording };
            var created = ExchangeSteps.CreateRoleAssignment(exchange, Role, Ours(), Quick, NullOperationLog.Instance, CancellationToken.None);
            Assert.Equal(ExchangeSteps.AssignmentName(Role, Enterprise.ObjectId), created.Name);
            Assert.Equal(3, exchange.Count("New-ManagementRoleAssignment"));
            Assert.Equal(2, exchange.Count("Get-ManagementRoleAssignment -Identity"));
            Assert.Single(exchange.Assignments);
        }

        [Theory]
        [InlineData(AzureAdWording)]
        [InlineData(ObjectNotFoundWording)]
        public void A_call_that_failed_but_created_is_found_before_a_retry_so_nothing_is_duplicated(string wording)
        {
            var exchange = new InMemoryExchange { NotReplicatedFor = 1, CreateDespiteError = true, ReplicationWording = wording };
            var registered = ExchangeSteps.CreateServicePrincipal(exchange, Enterprise, "Dropzone AI", Quick, NullOperationLog.Instance, CancellationToken.None);
            // The retry answers "already exists": one read confirms it is ours.
            Assert.Equal(new[] { "New-ServicePrincipal", "New-ServicePrincipal", "Get-ServicePrincipal" }, exchange.Calls);
            Assert.True(registered.RegisteredMeanwhile);
            Assert.Single(exchange.ServicePrincipals);

            exchange.NotReplicatedFor = 1;
            ExchangeSteps.CreateRoleAssignment(exchange, Role, Ours(), Quick, NullOperationLog.Instance, CancellationToken.None);
            Assert.Equal(1, exchange.Count("New-ManagementRoleAssignment"));
            Assert.Single(exchange.Assignments);
        }

        [Fact]
        public void Replication_that_outlasts_the_timeout_is_ExchangeReplicationTimeout()
        {
            var exchange = new InMemoryExchange { NotReplicatedFor = int.MaxValue };
            var retry = new ReplicationRetry { Timeout = TimeSpan.FromSeconds(1), FirstDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(40) };
            var error = Assert.Throws<DropzoneException>(() => ExchangeSteps.CreateServicePrincipal(exchange, Enterprise, "x", retry, NullOperationLog.Instance, CancellationToken.None));
            Assert.Equal(ErrorIds.ExchangeReplicationTimeout, error.ErrorId);
            Assert.True(exchange.Count("New-ServicePrincipal") >= 2);
            Assert.Empty(exchange.ServicePrincipals);
        }

        [Fact]
        public void Other_errors_are_not_retried_and_carry_exchanges_message_and_cmdlet()
        {
            var exchange = new InMemoryExchange { FailWith = "The operation couldn't be performed because of a policy." };
            var error = Assert.Throws<DropzoneException>(() => ExchangeSteps.CreateRoleAssignment(exchange, Role, Ours(), Quick, NullOperationLog.Instance, CancellationToken.None));
            Assert.Equal(ErrorIds.ExchangeCommandFailed, error.ErrorId);
            Assert.Contains("New-ManagementRoleAssignment", error.Message);
            Assert.Contains("because of a policy", error.Message);
            Assert.Equal(1, exchange.Count("New-ManagementRoleAssignment"));
        }

        [Fact]
        public void A_not_found_about_another_object_fails_at_once()
        {
            var exchange = new InMemoryExchange { FailWith = string.Format(ObjectNotFoundWording, Role) };
            var error = Assert.Throws<DropzoneException>(() => ExchangeSteps.CreateRoleAssignment(exchange, Role, Ours(), Quick, NullOperationLog.Instance, CancellationToken.None));
            Assert.Equal(ErrorIds.ExchangeCommandFailed, error.ErrorId);
            Assert.Equal(1, exchange.Count("New-ManagementRoleAssignment"));
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
        public void The_modules_assignment_is_found_with_one_call_without_the_service_principals()
        {
            var exchange = new InMemoryExchange { ShowAssigneeByDisplayName = true };
            exchange.ServicePrincipals.Add(Ours());
            exchange.Assignments.Add(new ExchangeRoleAssignment { Name = ExchangeSteps.AssignmentName(Role, Enterprise.ObjectId), Role = Role, RoleAssignee = Enterprise.ObjectId, RoleAssigneeType = "ServicePrincipal" });
            var lookup = new ExchangeLookup(exchange, AppId);
            Assert.NotNull(lookup.AssignmentOfEnterprise(Enterprise.ObjectId, out var undecided));
            Assert.False(undecided);
            Assert.Equal(new[] { "Get-ManagementRoleAssignment -Role" }, exchange.Calls);
        }

        [Fact]
        public void An_unnamed_assignment_shown_by_display_name_leaves_the_role_list_undecided_but_a_role_groups_does_not()
        {
            var exchange = new InMemoryExchange { ShowAssigneeByDisplayName = true };
            exchange.Assignments.Add(new ExchangeRoleAssignment { Name = "Transport Hygiene-Organization Management", Role = Role, RoleAssignee = "Organization Management", RoleAssigneeType = "RoleGroup" });
            var lookup = new ExchangeLookup(exchange, AppId);
            Assert.Null(lookup.AssignmentOfEnterprise(Enterprise.ObjectId, out var undecided));
            Assert.False(undecided);

            exchange.ServicePrincipals.Add(Ours());
            exchange.Assignments.Add(new ExchangeRoleAssignment { Name = "Transport Hygiene-by hand", Role = Role, RoleAssignee = Enterprise.ObjectId, RoleAssigneeType = "ServicePrincipal" });
            lookup = new ExchangeLookup(exchange, AppId);
            Assert.Null(lookup.AssignmentOfEnterprise(Enterprise.ObjectId, out undecided));
            Assert.True(undecided);
            // The service principals settle it: the display name is unique, so the assignment is ours.
            Assert.Equal("Transport Hygiene-by hand", lookup.Assignment(lookup.Registered).Name);
            Assert.Equal(new[] { "Get-ManagementRoleAssignment -Role", "Get-ServicePrincipal" }, exchange.Calls.Skip(1));
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void An_assignment_made_without_the_modules_name_is_recognised_by_its_assignee(bool shownByDisplayName)
        {
            var exchange = new InMemoryExchange { ShowAssigneeByDisplayName = shownByDisplayName };
            exchange.ServicePrincipals.AddRange(new[] { Other(), Ours() });
            exchange.Assignments.Add(new ExchangeRoleAssignment { Name = "Transport Hygiene-Dropzone AI", Role = Role, RoleAssignee = Enterprise.ObjectId, RoleAssigneeName = Enterprise.ObjectId });
            var lookup = new ExchangeLookup(exchange, AppId);
            Assert.Equal("Transport Hygiene-Dropzone AI", lookup.Assignment(lookup.Registered).Name);
            Assert.Equal(0, exchange.Count("New-ManagementRoleAssignment"));
        }

        [Fact]
        public void A_display_name_shared_with_another_service_principal_does_not_identify_ours()
        {
            var twin = Other("Dropzone AI");
            var exchange = new InMemoryExchange { ShowAssigneeByDisplayName = true };
            exchange.ServicePrincipals.AddRange(new[] { twin, Ours() });
            exchange.Assignments.Add(new ExchangeRoleAssignment { Name = "Transport Hygiene-twin", Role = Role, RoleAssignee = twin.ObjectId, RoleAssigneeName = twin.ObjectId });
            var lookup = new ExchangeLookup(exchange, AppId);
            Assert.Null(lookup.Assignment(lookup.Registered));
        }

        [Fact]
        public void The_role_assignment_is_found_by_the_object_id_and_role_only()
        {
            var sp = Ours();
            var assignments = new List<ExchangeRoleAssignment>
            {
                new ExchangeRoleAssignment { Name = "a", Role = Role, RoleAssigneeName = Guid.NewGuid().ToString() },
                new ExchangeRoleAssignment { Name = "b", Role = "Mail Recipients", RoleAssigneeName = Enterprise.ObjectId },
            };
            Assert.Null(ExchangeSteps.MatchRoleAssignment(assignments, Role, sp, new[] { sp }));
            assignments.Add(new ExchangeRoleAssignment { Name = "c", Role = Role, RoleAssignee = Enterprise.ObjectId });
            Assert.Equal("c", ExchangeSteps.MatchRoleAssignment(assignments, "transport hygiene", sp, new[] { sp }).Name);
            Assert.Null(ExchangeSteps.PlanRoleAssignment(ExchangeSteps.MatchRoleAssignment(assignments, Role, sp, new[] { sp }), sp, Role));
        }

        [Fact]
        public void A_service_principal_registered_moments_ago_needs_no_assignment_lookup()
        {
            var exchange = new InMemoryExchange();
            var lookup = new ExchangeLookup(exchange, AppId);
            Assert.Null(lookup.Registered);
            var created = ExchangeSteps.CreateServicePrincipal(exchange, Enterprise, "Dropzone AI", Quick, NullOperationLog.Instance, CancellationToken.None);
            lookup.RegisteredNow(created);
            Assert.Null(lookup.Assignment(lookup.Registered));
            Assert.Equal(new[] { "Get-ServicePrincipal", "New-ServicePrincipal" }, exchange.Calls);
        }

        [Theory]
        [InlineData("The service principal with ObjectId '{0}' could not be found in Azure Active Directory.", true)]
        [InlineData("Object '{0}' couldn't be found in Azure AD.", true)]
        [InlineData("The operation couldn't be performed because object '{0}' couldn't be found on 'DC01.PROD.OUTLOOK.COM'.", true)]
        [InlineData("The operation couldn't be performed because object 'Transport Hygiene' couldn't be found on 'DC01'.", false)]
        [InlineData("The service principal with ObjectId 'someone-else' could not be found in Azure Active Directory.", false)]
        [InlineData("A service principal with ObjectId '{0}' already exists.", false)]
        [InlineData("Access denied.", false)]
        public void Replication_is_told_from_other_errors_by_the_wording_and_the_object_it_names(string message, bool replication)
        {
            var error = new ExchangeCommandException("New-ServicePrincipal", string.Format(message, Enterprise.ObjectId), "X", null);
            Assert.Equal(replication, ExchangeSteps.IsReplicationDelay(error, Ours().Identifiers()));
        }
    }
}
