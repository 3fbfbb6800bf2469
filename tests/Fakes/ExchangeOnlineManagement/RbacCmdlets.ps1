# The body of the temporary module (tmpEXO_*) that the fake Connect-ExchangeOnline writes to a
# temp folder and imports globally, as the real ExchangeOnlineManagement 3.x does. Its functions
# carry the parameter names and sets of the Exchange Online cmdlet reference (CmdletReference.psd1)
# and send one POST .../adminapi/beta/{organization}/InvokeCommand per call. Failures are
# non-terminating errors written through the calling function's $PSCmdlet, so -ErrorAction and
# -ErrorVariable behave as with the real REST cmdlets.
Set-StrictMode -Version Latest

# Set by Connect-ExchangeOnline right after import: BaseUri, Organization, AccessToken, ConnectionId.
$script:Connection = $null

function Invoke-FakeExoCommand {
    param(
        [Parameter(Mandatory)][string] $CmdletName,
        [Parameter(Mandatory)][System.Collections.IDictionary] $Bound,
        [Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Caller,
        $Target
    )
    if (-not $script:Connection) {
        $record = [System.Management.Automation.ErrorRecord]::new(
            [System.InvalidOperationException]::new('There is no connection to Exchange Online. Run Connect-ExchangeOnline first.'),
            'NotConnected', [System.Management.Automation.ErrorCategory]::ConnectionError, $Target)
        $Caller.WriteError($record)
        return
    }
    $skip = [System.Collections.Generic.HashSet[string]]::new([string[]]([System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters), [System.StringComparer]::OrdinalIgnoreCase)
    $parameters = [ordered]@{}
    foreach ($key in $Bound.Keys) {
        if ($skip.Contains($key) -or $null -eq $Bound[$key]) { continue }   # -Identity $null: as if not given
        $parameters[$key] = ConvertTo-FakeExoValue $Bound[$key]
    }
    $body = @{ CmdletInput = @{ CmdletName = $CmdletName; Parameters = $parameters } } | ConvertTo-Json -Depth 10 -Compress
    $uri = '{0}/adminapi/beta/{1}/InvokeCommand' -f $script:Connection.BaseUri.TrimEnd('/'), [uri]::EscapeDataString($script:Connection.Organization)
    $headers = @{
        Authorization         = "Bearer $($script:Connection.AccessToken)"
        'X-CmdletName'        = $CmdletName
        'X-ClientApplication' = 'ExoManagementModule'
        'X-ResponseFormat'    = 'json'
        'X-SerializationLevel'= 'Partial'
        'connection-id'       = $script:Connection.ConnectionId
        Accept                = 'application/json'
    }
    # Each real cmdlet is a REST round trip of about half a second to a second and a half, far more
    # than a Graph call (issue 12): $env:DROPZONE_FAKE_EXO_LATENCY_MS adds that time to every call
    # that reaches the service (Get-ConnectionInformation is local and never waits).
    $latency = 0
    if ([int]::TryParse([string]$env:DROPZONE_FAKE_EXO_LATENCY_MS, [ref]$latency) -and $latency -gt 0) {
        Start-Sleep -Milliseconds $latency
    }
    try {
        $response = Invoke-WebRequest -Uri $uri -Method Post -Body $body -ContentType 'application/json; charset=utf-8' -Headers $headers -SkipHttpErrorCheck -UseBasicParsing -Verbose:$false -Debug:$false
    }
    catch {
        $record = [System.Management.Automation.ErrorRecord]::new($_.Exception, 'ConnectionFailure', [System.Management.Automation.ErrorCategory]::ConnectionError, $Target)
        $Caller.WriteError($record)
        return
    }
    $content = if ($response.Content -is [byte[]]) { [System.Text.Encoding]::UTF8.GetString($response.Content) } else { [string]$response.Content }
    $json = $null
    if ($content) { try { $json = $content | ConvertFrom-Json -Depth 20 } catch { $json = $null } }

    if ($response.StatusCode -ge 200 -and $response.StatusCode -lt 300) {
        if ($json -and $json.PSObject.Properties['value']) {
            foreach ($item in @($json.value)) {
                if ($null -eq $item) { continue }
                $item.pstypenames.Insert(0, "FakeExchange.$($CmdletName -replace '^[A-Za-z]+-', '')")
                $item
            }
        }
        return
    }
    $Caller.WriteError((New-FakeExoErrorRecord -Status ([int]$response.StatusCode) -Json $json -Content $content -Target $Target))
}

function ConvertTo-FakeExoValue($value) {
    if ($value -is [System.Management.Automation.SwitchParameter]) { return $value.IsPresent }
    if ($value -is [bool] -or $value -is [string] -or $value -is [ValueType]) { return $value }
    if ($value -is [System.Collections.IEnumerable] -and $value -isnot [System.Collections.IDictionary]) {
        return , @(foreach ($v in $value) { ConvertTo-FakeExoValue $v })
    }
    if ($value -is [psobject] -or $value -is [System.Management.Automation.PSCustomObject]) {
        # An object piped in (a role assignment, a service principal, a role): its identity.
        foreach ($name in 'Identity', 'ObjectId', 'Name') {
            if ($value.PSObject.Properties[$name] -and $value.$name) { return [string]$value.$name }
        }
    }
    [string]$value
}

function New-FakeExoErrorRecord([int]$Status, $Json, [string]$Content, $Target) {
    $message = $null; $type = $null
    $err = if ($Json -and $Json.PSObject.Properties['error']) { $Json.error } else { $null }
    if ($err) {
        $inner = if ($err.PSObject.Properties['innererror']) { $err.innererror } else { $null }
        if ($inner -and $inner.PSObject.Properties['internalexception'] -and $inner.internalexception) {
            $message = $inner.internalexception.message
            $type = $inner.internalexception.type
        }
        elseif ($err.PSObject.Properties['details'] -and @($err.details).Count -gt 0) {
            $parts = ([string]@($err.details)[0].message).Split('|', 3)
            if ($parts.Count -eq 3) { $type = $parts[1]; $message = $parts[2] } else { $message = $parts[-1] }
        }
        elseif ($err.PSObject.Properties['message']) { $message = $err.message }
    }
    if (-not $message) { $message = if ($Content) { $Content } else { "The Exchange admin API answered HTTP $Status." } }
    if (-not $type) { $type = if ($Status -eq 401) { 'System.UnauthorizedAccessException' } else { 'Microsoft.Exchange.AdminApi.CommandInvocation.RestApiException' } }

    $shortType = ($type -split '\.')[-1]
    $category = switch -Regex ($shortType) {
        'NotFound'                        { 'ObjectNotFound'; break }
        'AlreadyExists'                   { 'ResourceExists'; break }
        'Ambiguous|ParameterSet|Argument' { 'InvalidArgument'; break }
        'NotSupported'                    { 'NotImplemented'; break }
        'Unauthorized'                    { 'PermissionDenied'; break }
        default                           { if ($Status -ge 500) { 'ConnectionError' } else { 'InvalidOperation' } }
    }
    $exception = [System.Exception]::new($message)
    $exception.Data['ExchangeExceptionType'] = $type
    $exception.Data['HttpStatusCode'] = $Status
    $record = [System.Management.Automation.ErrorRecord]::new($exception, $shortType, [System.Management.Automation.ErrorCategory]$category, $Target)
    $record.ErrorDetails = [System.Management.Automation.ErrorDetails]::new($message)
    $record
}

# ------------------------------------------------------------------------------------------------
# Service principals

function New-ServicePrincipal {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory)][string] $AppId,
        # Required by the reference; here either ObjectId or its deprecated name ServiceId will do.
        [string] $ObjectId,
        [string] $ServiceId,
        [string] $DisplayName,
        [object] $Organization
    )
    $target = if ($ObjectId) { $ObjectId } else { $ServiceId }
    if (-not $PSCmdlet.ShouldProcess("AppId $AppId, ObjectId $target", 'New-ServicePrincipal')) { return }
    Invoke-FakeExoCommand -CmdletName 'New-ServicePrincipal' -Bound $PSBoundParameters -Caller $PSCmdlet -Target $AppId
}

function Get-ServicePrincipal {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)][object] $Identity,
        [object] $Organization
    )
    process {
        Invoke-FakeExoCommand -CmdletName 'Get-ServicePrincipal' -Bound $PSBoundParameters -Caller $PSCmdlet -Target $Identity
    }
}

function Remove-ServicePrincipal {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)][object] $Identity
    )
    process {
        $id = ConvertTo-FakeExoValue $Identity
        if (-not $PSCmdlet.ShouldProcess($id, 'Remove-ServicePrincipal')) { return }
        Invoke-FakeExoCommand -CmdletName 'Remove-ServicePrincipal' -Bound $PSBoundParameters -Caller $PSCmdlet -Target $id
    }
}

# ------------------------------------------------------------------------------------------------
# Management role assignments (Exchange Online parameters only; on-premises-only ones are left out)

function New-ManagementRoleAssignment {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Position = 0)][string] $Name,
        [Parameter(Mandatory, ValueFromPipeline)][object] $Role,
        [Parameter(Mandatory, ParameterSetName = 'App')][object] $App,
        [Parameter(Mandatory, ParameterSetName = 'Policy')][object] $Policy,
        [Parameter(Mandatory, ParameterSetName = 'SecurityGroup')][object] $SecurityGroup,
        [Parameter(Mandatory, ParameterSetName = 'User')][object] $User,
        [Parameter(ParameterSetName = 'App')][object] $CustomResourceScope,
        [Parameter(ParameterSetName = 'App')]
        [Parameter(ParameterSetName = 'SecurityGroup')]
        [Parameter(ParameterSetName = 'User')][switch] $Delegating,
        [Parameter(ParameterSetName = 'Policy')]
        [Parameter(ParameterSetName = 'SecurityGroup')]
        [Parameter(ParameterSetName = 'User')][object] $CustomRecipientWriteScope,
        [Parameter(ParameterSetName = 'Policy')]
        [Parameter(ParameterSetName = 'SecurityGroup')]
        [Parameter(ParameterSetName = 'User')][object] $ExclusiveRecipientWriteScope,
        [Parameter(ParameterSetName = 'Policy')]
        [Parameter(ParameterSetName = 'SecurityGroup')]
        [Parameter(ParameterSetName = 'User')][object] $RecipientOrganizationalUnitScope,
        [Parameter(ParameterSetName = 'Policy')]
        [Parameter(ParameterSetName = 'SecurityGroup')]
        [Parameter(ParameterSetName = 'User')]
        [ValidateSet('None', 'NotApplicable', 'Organization', 'MyGAL', 'Self', 'OU', 'CustomRecipientScope', 'MyDistributionGroups', 'MyExecutive', 'ManagementScope', 'MailboxICanDelegate', 'ExclusiveRecipientScope')]
        [string] $RecipientRelativeWriteScope,
        [switch] $Force,
        [object] $RecipientAdministrativeUnitScope,
        [object] $RecipientGroupScope
    )
    process {
        $assignee = ConvertTo-FakeExoValue $PSBoundParameters[$PSCmdlet.ParameterSetName]
        $roleName = ConvertTo-FakeExoValue $Role
        if (-not $PSCmdlet.ShouldProcess("Role '$roleName' to $($PSCmdlet.ParameterSetName) '$assignee'", 'New-ManagementRoleAssignment')) { return }
        Invoke-FakeExoCommand -CmdletName 'New-ManagementRoleAssignment' -Bound $PSBoundParameters -Caller $PSCmdlet -Target $assignee
    }
}

function Get-ManagementRoleAssignment {
    [CmdletBinding(DefaultParameterSetName = 'Identity')]
    param(
        [Parameter(Position = 0, ValueFromPipeline, ParameterSetName = 'Identity')][object] $Identity,
        [Parameter(ParameterSetName = 'RoleAssignee')]
        [ValidateSet('Direct', 'SecurityGroup', 'RoleGroup', 'RoleAssignmentPolicy')]
        [string[]] $AssignmentMethod,
        [Parameter(ValueFromPipeline, ParameterSetName = 'RoleAssignee')][object] $Role,
        [Parameter(ParameterSetName = 'RoleAssignee')][object] $RoleAssignee,
        [ValidateSet('None', 'NotApplicable', 'OrganizationConfig', 'CustomConfigScope', 'PartnerDelegatedTenantScope', 'ExclusiveConfigScope')]
        [string] $ConfigWriteScope,
        [object] $CustomRecipientWriteScope,
        [bool] $Delegating,
        [bool] $Enabled,
        [bool] $Exclusive,
        [object] $ExclusiveRecipientWriteScope,
        [switch] $GetEffectiveUsers,
        [object] $RecipientAdministrativeUnitScope,
        [object] $RecipientGroupScope,
        [object] $RecipientOrganizationalUnitScope,
        [string] $RecipientWriteScope,
        [ValidateSet('User', 'SecurityGroup', 'RoleAssignmentPolicy', 'ForeignSecurityPrincipal', 'RoleGroup', 'LinkedRoleGroup', 'Computer', 'ServicePrincipal', 'PartnerLinkedRoleGroup')]
        [string] $RoleAssigneeType,
        [object] $WritableRecipient
    )
    process {
        Invoke-FakeExoCommand -CmdletName 'Get-ManagementRoleAssignment' -Bound $PSBoundParameters -Caller $PSCmdlet -Target $(if ($Identity) { $Identity } else { $Role })
    }
}

function Remove-ManagementRoleAssignment {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)][object] $Identity,
        [switch] $Force
    )
    process {
        $id = ConvertTo-FakeExoValue $Identity
        if (-not $PSCmdlet.ShouldProcess($id, 'Remove-ManagementRoleAssignment')) { return }
        Invoke-FakeExoCommand -CmdletName 'Remove-ManagementRoleAssignment' -Bound $PSBoundParameters -Caller $PSCmdlet -Target $id
    }
}

Export-ModuleMember -Function New-ServicePrincipal, Get-ServicePrincipal, Remove-ServicePrincipal,
    New-ManagementRoleAssignment, Get-ManagementRoleAssignment, Remove-ManagementRoleAssignment
