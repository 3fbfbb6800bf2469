using System;
using System.Collections.Generic;
using System.Linq;
using Dropzone.ExoSetup.Engine.Errors;
using Dropzone.ExoSetup.Engine.Model;
using Dropzone.ExoSetup.Engine.Planning;
using Microsoft.Graph.Models;
using Xunit;
using static Dropzone.ExoSetup.Engine.Tests.ApplicationPlannerTests;

namespace Dropzone.ExoSetup.Engine.Tests
{
    /// <summary>Reading a write back: what another writer undid, what vanished, and the merge that writes it again.</summary>
    public class WriteIntentTests
    {
        private static readonly string GraphAppId = "00000003-0000-0000-c000-000000000000";

        private static Application Patch(PlannedChange change) =>
            new Application { KeyCredentials = change.KeyCredentials, RequiredResourceAccess = change.RequiredResourceAccess };

        private static RequiredResourceAccess GraphRole(Guid id) =>
            new RequiredResourceAccess { ResourceAppId = GraphAppId, ResourceAccess = new List<ResourceAccess> { new ResourceAccess { Id = id, Type = "Role" } } };

        private static IEnumerable<Guid> PermissionIds(IEnumerable<RequiredResourceAccess> access) => access.SelectMany(r => r.ResourceAccess).Select(a => a.Id.Value);

        [Fact]
        public void A_read_with_everything_written_is_complete()
        {
            var kept = Existing("Kept");
            var before = State(new[] { kept });
            var change = ApplicationPlanner.PlanAddCertificate(before, Vendor(), "Dropzone AI", out _);

            var check = WriteIntent.From(before, Patch(change)).Check(State(change.KeyCredentials));

            Assert.True(check.Complete);
            Assert.Empty(check.Vanished);
        }

        [Fact]
        public void Our_certificate_undone_by_another_writer_is_lost_and_named_by_thumbprint()
        {
            var kept = Existing("Kept");
            var before = State(new[] { kept });
            var vendor = Vendor();
            var change = ApplicationPlanner.PlanAddCertificate(before, vendor, "Dropzone AI", out _);

            var check = WriteIntent.From(before, Patch(change)).Check(State(new[] { kept, Existing("Theirs") }));

            Assert.False(check.Complete);
            Assert.Contains(vendor.Thumbprint, Assert.Single(check.Lost));
            Assert.Empty(check.Vanished);
        }

        [Fact]
        public void The_same_certificate_under_another_keyId_counts_as_there()
        {
            var before = State();
            var change = ApplicationPlanner.PlanAddCertificate(before, Vendor(), "Dropzone AI", out _);
            var sameCertificate = ApplicationPlanner.Copy(change.KeyCredentials.Single());
            sameCertificate.KeyId = Guid.NewGuid();

            Assert.True(WriteIntent.From(before, Patch(change)).Check(State(new[] { sameCertificate })).Complete);
        }

        [Fact]
        public void A_certificate_we_kept_and_is_gone_vanished_and_is_named()
        {
            var gone = Existing("Gone");
            var stays = Existing("Stays");
            var before = State(new[] { gone, stays });
            var change = ApplicationPlanner.PlanAddCertificate(before, Vendor(), "Dropzone AI", out _);

            var check = WriteIntent.From(before, Patch(change)).Check(State(change.KeyCredentials.Where(k => k.KeyId != gone.KeyId)));

            Assert.True(check.Complete);
            var vanished = Assert.Single(check.Vanished);
            Assert.Contains("'Gone'", vanished);
            Assert.Contains(gone.KeyId.ToString(), vanished);
        }

        [Fact]
        public void Rebase_keeps_what_the_other_writer_added_adds_ours_and_does_not_bring_back_what_it_removed()
        {
            var removedByThem = Existing("Removed by them");
            var kept = Existing("Kept");
            var before = State(new[] { removedByThem, kept });
            var change = ApplicationPlanner.PlanAddCertificate(before, Vendor(), "Dropzone AI", out _);
            var ours = change.KeyCredentials.Last();
            var theirs = Existing("Theirs");
            var now = State(new[] { kept, theirs });

            var next = WriteIntent.From(before, Patch(change)).Rebase(now, out var merged);

            Assert.Equal(new[] { kept.KeyId, theirs.KeyId, ours.KeyId }, merged.KeyCredentials.Select(k => k.KeyId));
            Assert.Equal(ours.Key, merged.KeyCredentials.Last().Key);
            Assert.Null(merged.RequiredResourceAccess);
            // The next check judges the next write: what it keeps now is what was there.
            Assert.True(next.Check(State(merged.KeyCredentials)).Complete);
            Assert.Contains("'Theirs'", Assert.Single(next.Check(State(new[] { kept, ours })).Vanished));
        }

        [Fact]
        public void Rebase_refuses_a_read_without_keys_rather_than_delete_those_certificates()
        {
            var before = State();
            var change = ApplicationPlanner.PlanAddCertificate(before, Vendor(), "Dropzone AI", out _);
            var unreadable = Existing("No key");
            unreadable.Key = null;

            var error = Assert.Throws<DropzoneException>(() => WriteIntent.From(before, Patch(change)).Rebase(State(new[] { unreadable }), out _));
            Assert.Equal(ErrorIds.ExistingCertificateUnreadable, error.ErrorId);
        }

        [Fact]
        public void The_permission_undone_is_lost_and_rebase_writes_it_beside_the_other_writers()
        {
            var existingRole = Guid.NewGuid();
            var theirRole = Guid.NewGuid();
            var before = State(permissions: new[] { GraphRole(existingRole) }, consented: true);
            var change = ApplicationPlanner.PlanPermission(before, skipConsent: true).Single(c => c.Kind == ChangeKind.RequestPermission);
            var intent = WriteIntent.From(before, Patch(change));
            var now = State(permissions: new[] { new RequiredResourceAccess { ResourceAppId = GraphAppId, ResourceAccess = new List<ResourceAccess>
                { new ResourceAccess { Id = existingRole, Type = "Role" }, new ResourceAccess { Id = theirRole, Type = "Role" } } } });

            var check = intent.Check(now);
            Assert.Contains(WellKnown.ManageAsAppRoleName, Assert.Single(check.Lost));

            intent.Rebase(now, out var merged);
            Assert.Null(merged.KeyCredentials);
            Assert.Equal(new[] { existingRole, theirRole, WellKnown.ManageAsAppRoleId }, PermissionIds(merged.RequiredResourceAccess));
        }

        [Fact]
        public void A_removal_undone_is_lost_and_rebase_removes_it_again_keeping_the_rest()
        {
            var otherRole = Guid.NewGuid();
            var withManageAsApp = State(permissions: new[] { GraphRole(otherRole) }).RequiredResourceAccess;
            var before = State(permissions: ApplicationPlanner.PlanPermission(State(permissions: withManageAsApp), true)
                .Single(c => c.Kind == ChangeKind.RequestPermission).RequiredResourceAccess);
            var removal = ApplicationPlanner.PlanUninstall(before, null, keepCertificate: true).Single(c => c.Kind == ChangeKind.RemovePermission);
            var intent = WriteIntent.From(before, Patch(removal));

            var check = intent.Check(before);
            Assert.Contains("it is back", Assert.Single(check.Lost));

            intent.Rebase(before, out var merged);
            Assert.Equal(new[] { otherRole }, PermissionIds(merged.RequiredResourceAccess));
        }
    }
}
