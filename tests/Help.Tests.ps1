# The help: its source is platyPS markdown in docs/, compiled to MAML by
# build/Build-Help.ps1, which is the one place that decides whether the help is
# complete. So this suite does not repeat those rules: it asks the compiler for its verdict on docs/,
# checks that the compiler refuses each kind of gap, and checks that Get-Help of the built module
# shows, for every exported command and the about topic, what docs/ says.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1')
    $module = Import-Module (Get-TestModulePath) -PassThru -ErrorAction Stop
    # WhatIf and Confirm are documented like every other parameter; only the common ones are not.
    $common = [System.Management.Automation.Cmdlet]::CommonParameters
    $commandCases = foreach ($name in $module.ExportedCommands.Keys | Sort-Object) {
        @{
            Name       = $name
            Parameters = @((Get-Command $name).Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object)
        }
    }
    $exportedNames = @($commandCases | ForEach-Object { $_.Name })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1')
    $script:ModulePath = Get-TestModulePath
    Import-Module $script:ModulePath -ErrorAction Stop
    $script:Compiler = Join-Path (Get-TestRepoRoot) 'build/Build-Help.ps1'
    $script:Docs = Join-Path (Get-TestRepoRoot) 'docs'
    # The compiler's verdict on docs/ and the help it read there (one child pwsh for the whole suite).
    $script:Verdict = & $Compiler -ModulePath $ModulePath -SourceDirectory $Docs -ValidateOnly

    function Get-HelpText($Node) {
        # Get-Help gives paragraphs as objects with a Text property; join them into one string.
        (@($Node) | ForEach-Object { if ($_ -is [string]) { $_ } else { $_.Text } } | Where-Object { $_ }) -join "`n"
    }
    # Text compared as a reader sees it: runs of white space, line breaks and blank lines alike.
    function Format-Words([string] $Text) { ($Text -replace '\s+', ' ').Trim() }
}

Describe 'The help compiler' {
    It 'finds nothing missing in docs/' {
        $Verdict.Problems | Should -BeNullOrEmpty
    }

    It 'reads a markdown file for every exported command' {
        @($Verdict.Commands.Keys | Sort-Object) | Should -Be @((Get-Module Dropzone.ExoSetup).ExportedCommands.Keys | Sort-Object)
    }
}

Describe 'The help compiler, given one gap per file' {
    BeforeAll {
        # One copy of docs/ with one gap per file, checked in one run: each gap must be named, for its file.
        $gaps = Join-Path $TestDrive 'gaps'
        Copy-Item -LiteralPath $Docs -Destination $gaps -Recurse
        function Edit-Doc([string] $File, [scriptblock] $Change) {
            $path = Join-Path $gaps $File
            $text = [IO.File]::ReadAllText($path)
            $changed = & $Change $text
            if ($changed -eq $text) { throw "The gap for $File did not change it." }
            [IO.File]::WriteAllText($path, $changed)
        }
        # Text of a section: from its heading to the next heading of that level or above.
        Edit-Doc 'Get-DropzoneOrganizationId.md' { param($t) $t -replace '(?s)(## SYNOPSIS\n).*?(?=\n## SYNTAX)', '$1' }
        Edit-Doc 'Get-DropzoneGraphContext.md' { param($t) $t -replace '(?s)(## DESCRIPTION\n).*?(?=\n## EXAMPLES)', '$1' }
        Edit-Doc 'Install-DropzoneCertificate.md' { param($t) $t -replace '(?s)(### -DisplayName\n).*?(?=\n```yaml)', '$1' }
        Edit-Doc 'Remove-DropzoneCertificate.md' { param($t) $t -replace '(?s)### -KeyId\n.*?(?=\n### )', '' }
        Edit-Doc 'Grant-DropzoneExoPermission.md' { param($t) $t -replace '(?m)^### CommonParameters$', "### -Colour`n`nA parameter that is not there.`n`n### CommonParameters" }
        Edit-Doc 'Get-DropzoneCertificate.md' { param($t) $t -replace '(?s)\n### Example 2.*?(?=\n## PARAMETERS)', '' }
        Edit-Doc 'Get-DropzoneServicePrincipal.md' { param($t) $t -replace '(?s)(### Example 1[^\n]*\n\n```powershell\n.*?\n```\n).*?(?=\n### Example 2)', '$1' }
        Edit-Doc 'New-DropzoneExoRoleAssignment.md' { param($t) ([regex]'Accept wildcard characters: False').Replace($t, 'Accept wildcard characters: True', 1) }
        Edit-Doc 'Test-DropzoneExoIntegration.md' { param($t) ([regex]' \[<CommonParameters>\]').Replace($t, '', 1) }
        Edit-Doc 'Uninstall-DropzoneExoIntegration.md' { param($t) $t -replace '(?s)(## RELATED LINKS\n).*$', "`$1`n" }
        Edit-Doc 'about_Dropzone_ExoSetup.md' { param($t) $t -replace '(?m)^## Long description$', '## Details' }
        Remove-Item -LiteralPath (Join-Path $gaps 'Disconnect-DropzoneGraph.md')
        Copy-Item -LiteralPath (Join-Path $gaps 'Get-DropzoneApplication.md') -Destination (Join-Path $gaps 'Get-DropzoneNothing.md')
        $script:GapProblems = @((& $Compiler -ModulePath $ModulePath -SourceDirectory $gaps -ValidateOnly).Problems)
    }

    It 'refuses <Gap> and names it' -ForEach @(
        @{ Gap = 'an empty synopsis'; Pattern = '^Get-DropzoneOrganizationId: the SYNOPSIS of Get-DropzoneOrganizationId\.md is empty' }
        @{ Gap = 'an empty description'; Pattern = '^Get-DropzoneGraphContext: the DESCRIPTION of Get-DropzoneGraphContext\.md is empty' }
        @{ Gap = 'a parameter section without text'; Pattern = '^Install-DropzoneCertificate: the parameter -DisplayName has no description in Install-DropzoneCertificate\.md$' }
        @{ Gap = 'a parameter without a section'; Pattern = '^Remove-DropzoneCertificate: the parameter -KeyId has no description in Remove-DropzoneCertificate\.md; add under ## PARAMETERS:\s+### -KeyId' }
        @{ Gap = 'a section for a parameter the command does not have'; Pattern = '^Grant-DropzoneExoPermission: Grant-DropzoneExoPermission\.md describes -Colour, which the command does not have' }
        @{ Gap = 'a single example'; Pattern = '^Get-DropzoneCertificate: 1 example\(s\) in Get-DropzoneCertificate\.md, at least 2 are required' }
        @{ Gap = 'an example without remarks'; Pattern = "^Get-DropzoneServicePrincipal: the example 'Example 1[^']*' in Get-DropzoneServicePrincipal\.md has no remarks" }
        @{ Gap = 'parameter yaml that differs from the cmdlet'; Pattern = '^New-DropzoneExoRoleAssignment: the yaml of -\w+ in New-DropzoneExoRoleAssignment\.md differs from the cmdlet; it should read:\s+```yaml' }
        @{ Gap = 'a SYNTAX that differs from the cmdlet'; Pattern = '^Test-DropzoneExoIntegration: the SYNTAX of Test-DropzoneExoIntegration\.md differs' }
        @{ Gap = 'no related links'; Pattern = '^Uninstall-DropzoneExoIntegration: no RELATED LINKS in Uninstall-DropzoneExoIntegration\.md' }
        @{ Gap = 'a missing markdown file'; Pattern = '^Disconnect-DropzoneGraph: no help; create ' }
        @{ Gap = 'a markdown file for a command the module does not export'; Pattern = '^Get-DropzoneNothing: Get-DropzoneNothing\.md describes a command the module does not export' }
        @{ Gap = 'an about topic without a long description'; Pattern = "^about_Dropzone_ExoSetup\.md: no '## LONG DESCRIPTION' section" }
    ) {
        @($GapProblems | Where-Object { $_ -match $Pattern }).Count | Should -Be 1 -Because "the problems were:`n$($GapProblems -join "`n")"
    }

    It 'names nothing but those gaps' {
        $GapProblems.Count | Should -Be 13 -Because "the problems were:`n$($GapProblems -join "`n")"
    }
}

Describe 'The help compiler, given a gap' {
    BeforeAll {
        $script:Gappy = Join-Path $TestDrive 'gappy'
        Copy-Item -LiteralPath $Docs -Destination $Gappy -Recurse
        $file = Join-Path $Gappy 'Get-DropzoneOrganizationId.md'
        [IO.File]::WriteAllText($file, ([IO.File]::ReadAllText($file) -replace '(?s)(## SYNOPSIS\n).*?(?=\n## SYNTAX)', '$1'))
        $script:Out = Join-Path $TestDrive 'gappy-out'
    }

    It 'stops the build and writes no help' {
        { & $Compiler -ModulePath $ModulePath -SourceDirectory $Gappy -OutputDirectory $Out 6>$null } | Should -Throw '*has 1 problem(s)*SYNOPSIS of Get-DropzoneOrganizationId.md is empty*'
        $Out | Should -Not -Exist
    }

    It 'names no problem in the files without a gap' {
        $problems = @((& $Compiler -ModulePath $ModulePath -SourceDirectory $Gappy -ValidateOnly).Problems)
        $problems.Count | Should -Be 1
        $problems[0] | Should -BeLike 'Get-DropzoneOrganizationId:*'
    }
}

Describe 'Help of <Name>' -ForEach $commandCases {
    BeforeAll {
        $script:Help = Get-Help -Name $Name -Full
        $script:HelpParameters = @($Help.parameters.parameter | Where-Object { $_ })
        $script:Source = $Verdict.Commands[$Name]
    }

    It 'comes from the module''s help file, not from the generated stub' {
        $Help.GetType().Name | Should -Not -Be 'String'
        $Help.PSObject.TypeNames | Should -Contain 'MamlCommandHelpInfo'
    }

    It 'passes the compiler' {
        @($Verdict.Problems | Where-Object { $_ -like "${Name}:*" }) | Should -BeNullOrEmpty
    }

    It 'shows the synopsis of docs/<Name>.md' {
        Format-Words $Help.Synopsis | Should -BeExactly (Format-Words $Source.Synopsis)
    }

    It 'shows the description of docs/<Name>.md' {
        Format-Words (Get-HelpText $Help.description) | Should -BeExactly (Format-Words $Source.Description)
    }

    It 'shows the description of -<_> from docs/<Name>.md' -ForEach $Parameters {
        $parameter = $HelpParameters | Where-Object name -EQ $_
        $parameter | Should -Not -BeNullOrEmpty -Because "-$_ should have an entry under PARAMETERS"
        $shown = Format-Words (Get-HelpText $parameter.description)
        $written = Format-Words $Source.Parameters[$_]
        $written | Should -Not -BeNullOrEmpty
        # The MAML may add where the parameter is required, after the text of docs/.
        $shown.StartsWith($written) | Should -BeTrue -Because "Get-Help shows '$shown'"
    }

    It 'lists exactly the parameters of the command' {
        @($HelpParameters.name | Sort-Object) | Should -Be $Parameters
    }

    It 'shows a syntax for each parameter set' {
        $sets = @((Get-Command $Name).ParameterSets)
        @($Help.syntax.syntaxItem).Count | Should -Be $sets.Count
    }

    It 'shows the examples of docs/<Name>.md with their code and remarks' {
        $shown = @($Help.examples.example | Where-Object { $_ })
        $shown.Count | Should -Be @($Source.Examples).Count
        for ($i = 0; $i -lt $shown.Count; $i++) {
            "$($shown[$i].title)" | Should -BeLike "*$([WildcardPattern]::Escape($Source.Examples[$i].Title))*"
            Format-Words $shown[$i].code | Should -BeExactly (Format-Words $Source.Examples[$i].Code)
            Format-Words (Get-HelpText $shown[$i].remarks) | Should -BeExactly (Format-Words $Source.Examples[$i].Remarks)
        }
    }

    It 'shows the related links of docs/<Name>.md' {
        @($Help.relatedLinks.navigationLink | Where-Object { $_.linkText -or $_.uri } | ForEach-Object linkText) |
            Should -Be @($Source.Links | ForEach-Object { $_.Text })
    }

    It 'names its output' {
        @($Help.returnValues.returnValue.type.name | Where-Object { $_ }).Count | Should -BeGreaterThan 0
    }
}

Describe 'about_Dropzone_ExoSetup' {
    BeforeAll {
        $script:AboutFile = Join-Path $ModulePath 'en-US/about_Dropzone_ExoSetup.help.txt'
        $script:About = (Get-Help -Name about_Dropzone_ExoSetup -ErrorAction SilentlyContinue | Out-String)
    }

    It 'ships in the module''s en-US folder' {
        $AboutFile | Should -Exist
    }

    It 'is what the compiler makes of docs/about_Dropzone_ExoSetup.md' {
        $compiled = $Verdict.AboutTopics | Where-Object Name -EQ 'about_Dropzone_ExoSetup.help.txt'
        $compiled | Should -Not -BeNullOrEmpty
        [IO.File]::ReadAllText($AboutFile) | Should -BeExactly $compiled.Text
    }

    It 'is found by Get-Help' {
        $About | Should -Match 'about_Dropzone_ExoSetup'
    }

    It 'has the standard about topic headings' {
        $About | Should -Match '(?m)^TOPIC\s*$'
        $About | Should -Match '(?m)^SHORT DESCRIPTION\s*$'
        $About | Should -Match '(?m)^LONG DESCRIPTION\s*$'
    }

    It 'describes the five steps of the procedure' {
        foreach ($step in 1..5) { $About | Should -Match "(?m)^\s+$step\.\s" }
    }

    It 'has its command list filled in' {
        $About | Should -Not -Match '\{\{'
    }

    It 'lists <_> as a cmdlet of this version' -ForEach $exportedNames {
        $inThisVersion = [regex]::Match($About, '(?s)In this version.*?Planned for later versions').Value
        $inThisVersion | Should -Match ([regex]::Escape($_))
    }
}
