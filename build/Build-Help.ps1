#Requires -Version 7.4
<#
.SYNOPSIS
Compiles the module's help from platyPS markdown (docs/*.md) to MAML (en-US/<assembly>-Help.xml) and about topics (.help.txt).

.DESCRIPTION
The help of each cmdlet is docs/<Verb-Noun>.md in the platyPS schema 2.0.0 (the format of
PowerShell/platyPS and of the Microsoft.Graph and PnP modules' docs): front matter, # Name,
## SYNOPSIS, ## SYNTAX, ## DESCRIPTION, ## EXAMPLES (### Example N: title, a ```powershell block,
remarks), ## PARAMETERS (### -Name, its description, one ```yaml block per distinct set of
Required/Position/pipeline input), ## INPUTS, ## OUTPUTS, ## NOTES and ## RELATED LINKS. The about
topic is docs/about_<Module>.md: # about_Name, ## Short description, ## Long description and further
## sections (### for a term and its definition).

Text is plain text, as Get-Help shows it: paragraphs are separated by blank lines and keep their line
breaks; a backslash escapes markdown's punctuation (\< \> \[ \] \* \_ \` \\), as platyPS writes it.
A link to another help topic is written [Name](Name.md).

This is the one place that decides whether the help is complete. The build fails (this script
throws, listing every problem) when:
  - an exported command has no <Name>.md, or a <Name>.md has no exported command;
  - a file does not follow the schema (front matter, title, the sections above, nothing else);
  - the synopsis or description is empty;
  - a parameter has no section or no description, or a section names a parameter the command lacks;
  - a parameter's yaml or the SYNTAX differs from what the built cmdlet says (the message gives the
    text to paste), so the markdown never drifts from the code;
  - fewer than two examples, or an example without code or remarks;
  - no related link;
  - there is no about topic, or it lacks its title, Short description or Long description.
With -ValidateOnly it writes nothing and returns the problems and the parsed help instead.

Parameter metadata in the MAML (types, sets, Mandatory, Position, pipeline input, aliases, default
values, enum values, OutputType) is read from the built module, imported in a child pwsh process
(this session loads none of its assemblies); the yaml check above keeps the markdown equal to it.

About topics become <ModulePath>/en-US/about_*.help.txt: TOPIC and the name, each ## heading upper
case at column 0, text indented by 4 (by 8 under a ### term) and wrapped at 80 columns, code blocks
indented by 4. A paragraph holding only {{CommandsInThisVersion}} becomes the exported commands
and their synopses.

.EXAMPLE
./build/Build-Help.ps1 -ModulePath ./out/Dropzone.ExoSetup -SourceDirectory ./docs -OutputDirectory ./out/Dropzone.ExoSetup/en-US

.EXAMPLE
(./build/Build-Help.ps1 -ModulePath ./out/Dropzone.ExoSetup -SourceDirectory ./docs -ValidateOnly).Problems
#>
[CmdletBinding()]
param(
    # The assembled module folder (holds the manifest).
    [Parameter(Mandatory)][string] $ModulePath,
    # The folder with the <Verb-Noun>.md files and about_*.md topics.
    [Parameter(Mandatory)][string] $SourceDirectory,
    # Where the MAML file and about topics go, normally <ModulePath>/en-US.
    [string] $OutputDirectory,
    # Check only: write nothing, return @{ Problems; Commands; AboutTopics } instead of throwing.
    [switch] $ValidateOnly
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$ModulePath = (Resolve-Path -LiteralPath $ModulePath).Path
$SourceDirectory = (Resolve-Path -LiteralPath $SourceDirectory).Path
if (-not $ValidateOnly) {
    if (-not $OutputDirectory) { throw 'Build-Help: -OutputDirectory is required unless -ValidateOnly is given.' }
    $OutputDirectory = [IO.Path]::GetFullPath($OutputDirectory, (Get-Location -PSProvider FileSystem).Path)
}

$NsMaml = 'http://schemas.microsoft.com/maml/2004/10'
$NsCommand = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$NsDev = 'http://schemas.microsoft.com/maml/dev/2004/10'
$NsMSHelp = 'http://msdn.microsoft.com/mshelp'
$CommandListPlaceholder = '{{CommandsInThisVersion}}'
$AboutWidth = 80
$Fence = '```'
# The level-2 sections of a cmdlet's markdown, in platyPS's order.
$CmdletSections = 'SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS'

#region Command metadata, read in a child pwsh
# Runs in the child: imports the module and writes what Get-Command knows about each exported
# command as JSON. Default values come from a fresh instance of the cmdlet class (or the function's
# param block), which is what PowerShell binds when the parameter is left out.
$MetadataScript = {
    param([string] $ModulePath, [string] $OutFile)
    Set-StrictMode -Version Latest
    $ErrorActionPreference = 'Stop'
    $module = Import-Module -Name $ModulePath -PassThru -Force -WarningAction SilentlyContinue
    $common = [System.Management.Automation.Cmdlet]::CommonParameters

    function Format-Default($value) {
        if ($null -eq $value) { return $null }
        if ($value -is [System.Management.Automation.SwitchParameter]) { return [string]$value.IsPresent }
        if ($value -is [Array]) { if ($value.Count -eq 0) { return $null }; return ($value | ForEach-Object { [string]$_ }) -join ', ' }
        $text = [string]$value
        if ($text -eq '') { return $null }
        $text
    }

    $commands = @($module.ExportedCmdlets.Values) + @($module.ExportedFunctions.Values) | Sort-Object Name
    $result = foreach ($command in $commands) {
        $instance = $null
        if ($command.CommandType -eq 'Cmdlet') { $instance = [Activator]::CreateInstance($command.ImplementingType) }
        $functionDefaults = @{}
        if ($command.CommandType -eq 'Function' -and $command.ScriptBlock.Ast.Body.ParamBlock) {
            foreach ($p in $command.ScriptBlock.Ast.Body.ParamBlock.Parameters) {
                if ($p.DefaultValue -is [System.Management.Automation.Language.StringConstantExpressionAst]) { $functionDefaults[$p.Name.VariablePath.UserPath] = $p.DefaultValue.Value }
                elseif ($p.DefaultValue) { $functionDefaults[$p.Name.VariablePath.UserPath] = $p.DefaultValue.Extent.Text }
            }
        }

        $parameters = foreach ($p in $command.Parameters.Values) {
            if ($p.Name -in $common) { continue }
            $type = $p.ParameterType
            $elementType = if ($type.IsArray) { $type.GetElementType() } else { $type }
            $values = @()
            if ($elementType.IsEnum) { $values = [Enum]::GetNames($elementType) }
            $validateSet = $p.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | Select-Object -First 1
            if ($validateSet) { $values = @($validateSet.ValidValues) }
            $default = $null
            if ($instance) {
                $property = $command.ImplementingType.GetProperty($p.Name)
                if ($property) { $default = Format-Default $property.GetValue($instance) }
            } elseif ($functionDefaults.ContainsKey($p.Name)) {
                $default = $functionDefaults[$p.Name]
            }
            if ($null -eq $default -and $type -eq [System.Management.Automation.SwitchParameter]) { $default = 'False' }
            [ordered]@{
                Name      = $p.Name
                Type      = $type.FullName
                TypeName  = $type.Name
                IsSwitch  = $type -eq [System.Management.Automation.SwitchParameter]
                IsArray   = $type.IsArray
                Aliases   = @($p.Aliases)
                Values    = @($values)
                Globbing  = [bool]($p.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
                Default   = $default
            }
        }

        $sets = foreach ($set in $command.ParameterSets) {
            [ordered]@{
                Name       = $set.Name
                IsDefault  = $set.IsDefault
                Syntax     = "$($command.Name) $set"
                Parameters = @(foreach ($p in $set.Parameters) {
                    if ($p.Name -in $common) { continue }
                    [ordered]@{
                        Name                  = $p.Name
                        Mandatory             = $p.IsMandatory
                        Position              = $p.Position
                        FromPipeline          = $p.ValueFromPipeline
                        FromPipelineByName    = $p.ValueFromPipelineByPropertyName
                    }
                })
            }
        }

        [ordered]@{
            Name        = $command.Name
            CommandType = [string]$command.CommandType
            Verb        = $command.Verb
            Noun        = $command.Noun
            HelpFile    = $command.HelpFile
            OutputTypes = @($command.OutputType | ForEach-Object Name)
            Parameters  = @($parameters)
            Sets        = @($sets)
        }
    }
    [ordered]@{
        ModuleName = $module.Name
        RootModule = [IO.Path]::GetFileName($module.Path)
        Commands   = @($result)
    } | ConvertTo-Json -Depth 10 | Set-Content -LiteralPath $OutFile -Encoding utf8
}

function Get-ModuleMetadata {
    $scriptFile = Join-Path ([IO.Path]::GetTempPath()) ("dz-help-metadata-{0}.ps1" -f [guid]::NewGuid())
    $jsonFile = [IO.Path]::ChangeExtension($scriptFile, '.json')
    Set-Content -LiteralPath $scriptFile -Value $MetadataScript.ToString() -Encoding utf8
    # The pwsh running this script: a pwsh apphost, or dotnet running pwsh.dll (dotnet pwsh).
    $exe = [Environment]::ProcessPath
    $arguments = @()
    if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $arguments += Join-Path $PSHOME 'pwsh.dll' }
    $arguments += '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', $scriptFile, '-ModulePath', $ModulePath, '-OutFile', $jsonFile
    try {
        $childOutput = & $exe @arguments 2>&1
        if ($LASTEXITCODE -ne 0 -or -not (Test-Path -LiteralPath $jsonFile)) {
            throw "Could not read the commands of the module in $ModulePath (child pwsh exit code $LASTEXITCODE):`n$($childOutput -join "`n")"
        }
        Get-Content -LiteralPath $jsonFile -Raw | ConvertFrom-Json
    } finally {
        Remove-Item -LiteralPath $scriptFile, $jsonFile -ErrorAction SilentlyContinue
    }
}
#endregion

#region Text helpers
# Removes the indentation common to all lines, and blank lines at both ends.
function ConvertTo-Dedented([string] $Text) {
    $lines = ($Text -replace "`r`n", "`n").Split("`n")
    $indents = $lines | Where-Object { $_.Trim() } | ForEach-Object { $_.Length - $_.TrimStart().Length }
    $cut = ($indents | Measure-Object -Minimum).Minimum
    if (-not $cut) { $cut = 0 }
    $lines = $lines | ForEach-Object { if ($_.Length -ge $cut) { $_.Substring($cut).TrimEnd() } else { $_.TrimEnd() } }
    ($lines -join "`n").Trim("`n")
}

# Paragraphs are separated by blank lines; line breaks inside a paragraph are kept.
function Split-Paragraph([string] $Text) {
    if (-not $Text) { return @() }
    @((ConvertTo-Dedented $Text) -split "\n[ \t]*\n" | ForEach-Object { $_.Trim("`n") } | Where-Object { $_.Trim() })
}

function Test-Text($Value) { $Value -is [string] -and $Value.Trim().Length -gt 0 }

# Markdown's backslash escapes (a backslash before ASCII punctuation) back to the plain character.
function ConvertFrom-MarkdownEscape([string] $Text) {
    [regex]::Replace($Text, '\\([!-/:-@\[-`{-~])', '$1')
}

# Greedy word wrap of one line to $Width columns; continuation lines get the line's own indentation.
function Format-Wrapped([string] $Line, [int] $Width) {
    $indent = $Line.Length - $Line.TrimStart(' ').Length
    if ($Line.Length -le $Width) { return $Line }
    $lines = [System.Collections.Generic.List[string]]::new()
    $current = ''
    foreach ($word in $Line.Trim().Split(' ', [StringSplitOptions]::RemoveEmptyEntries)) {
        if ($current -and ($indent + $current.Length + 1 + $word.Length) -gt $Width) { $lines.Add((' ' * $indent) + $current); $current = $word }
        else { $current = if ($current) { "$current $word" } else { $word } }
    }
    $lines.Add((' ' * $indent) + $current)
    $lines.ToArray()
}
#endregion

#region Markdown reading
# A markdown file as front matter and a flat list of blocks: Heading (Level, Text), Code (Language,
# Text, verbatim) and Paragraph (Lines, still escaped). Enough of CommonMark for the platyPS schema.
function Read-Markdown([string] $Path) {
    $lines = @((Get-Content -LiteralPath $Path -Raw) -replace "`r`n", "`n" -split "`n")
    $front = [ordered]@{}
    $hasFront = $false
    $i = 0
    if ($lines.Count -and $lines[0] -eq '---') {
        $end = [array]::IndexOf($lines, '---', 1)
        if ($end -gt 0) {
            $hasFront = $true
            foreach ($line in $lines[1..($end - 1)]) {
                if (-not $line.Trim()) { continue }
                $pair = $line.Split(':', 2)
                $front[$pair[0].Trim()] = if ($pair.Count -gt 1) { $pair[1].Trim() } else { '' }
            }
            $i = $end + 1
        }
    }
    $blocks = [System.Collections.Generic.List[object]]::new()
    $paragraph = $null
    while ($i -lt $lines.Count) {
        $line = $lines[$i]
        $fenceMatch = [regex]::Match($line, '^ {0,3}(```+|~~~+)\s*([\w-]*)\s*$')
        $heading = [regex]::Match($line, '^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$')
        if ($fenceMatch.Success) {
            $paragraph = $null
            $code = [System.Collections.Generic.List[string]]::new()
            $i++
            while ($i -lt $lines.Count -and $lines[$i].Trim() -ne $fenceMatch.Groups[1].Value) { $code.Add($lines[$i].TrimEnd()); $i++ }
            $blocks.Add([pscustomobject]@{ Kind = 'Code'; Language = $fenceMatch.Groups[2].Value; Text = ($code -join "`n").Trim("`n"); Line = $i + 1 })
        } elseif ($heading.Success) {
            $paragraph = $null
            $blocks.Add([pscustomobject]@{ Kind = 'Heading'; Level = $heading.Groups[1].Length; Text = (ConvertFrom-MarkdownEscape $heading.Groups[2].Value); Line = $i + 1 })
        } elseif (-not $line.Trim()) {
            $paragraph = $null
        } else {
            if (-not $paragraph) {
                $paragraph = [pscustomobject]@{ Kind = 'Paragraph'; Lines = [System.Collections.Generic.List[string]]::new(); Line = $i + 1 }
                $blocks.Add($paragraph)
            }
            $paragraph.Lines.Add($line.TrimEnd())
        }
        $i++
    }
    [pscustomobject]@{ HasFrontMatter = $hasFront; FrontMatter = $front; Blocks = $blocks }
}

# The plain text of paragraphs and code blocks, paragraphs separated by a blank line.
function Get-BlockText($Blocks) {
    $parts = foreach ($block in $Blocks) {
        # Continuation lines keep their indentation (columns lined up in an example's output).
        if ($block.Kind -eq 'Paragraph') { ConvertFrom-MarkdownEscape (($block.Lines -join "`n").Trim()) }
        elseif ($block.Kind -eq 'Code') { $block.Text }
    }
    (@($parts) -join "`n`n")
}
#endregion

#region Cmdlet markdown: parse and check
# Parameter sets as Get-Help lists them: the default first, then in declared order.
function Get-OrderedSets($Command) {
    $all = @($Command.Sets)
    @($all | Sort-Object { -not $_.IsDefault }, { [array]::IndexOf($all, $_) })
}

# The yaml blocks platyPS writes for a parameter, from the built cmdlet: one per distinct
# (Required, Position, pipeline input), naming its parameter sets, or (All).
function Get-ExpectedYaml($Command, $Parameter) {
    $sets = Get-OrderedSets $Command
    $groups = [System.Collections.Generic.List[object]]::new()
    foreach ($set in $sets) {
        $entry = $set.Parameters | Where-Object Name -EQ $Parameter.Name | Select-Object -First 1
        if (-not $entry) { continue }
        $key = '{0}|{1}|{2}' -f $entry.Mandatory, $entry.Position, (Get-PipelineText @($entry))
        $group = $groups | Where-Object Key -EQ $key | Select-Object -First 1
        if (-not $group) { $group = [pscustomobject]@{ Key = $key; Entry = $entry; Sets = [System.Collections.Generic.List[string]]::new() }; $groups.Add($group) }
        $group.Sets.Add($set.Name)
    }
    foreach ($group in $groups) {
        $setText = if ($sets.Count -eq 1 -or $group.Sets.Count -eq $sets.Count) { '(All)' } else { $group.Sets -join ', ' }
        $yaml = @(
            "Type: $($Parameter.TypeName)"
            "Parameter Sets: $setText"
            ("Aliases: $($Parameter.Aliases -join ', ')").TrimEnd()
            if (@($Parameter.Values).Count) { "Accepted values: $($Parameter.Values -join ', ')" }
            ''
            "Required: $(if ($group.Entry.Mandatory) { 'True' } else { 'False' })"
            "Position: $(if ($group.Entry.Position -ge 0) { $group.Entry.Position } else { 'Named' })"
            "Default value: $(if ($null -ne $Parameter.Default) { $Parameter.Default } else { 'None' })"
            "Accept pipeline input: $(Get-PipelineText @($group.Entry))"
            "Accept wildcard characters: $(if ($Parameter.Globbing) { 'True' } else { 'False' })"
        )
        $yaml -join "`n"
    }
}

# Yaml compared line by line, ignoring blank lines, spacing and case.
function Format-YamlKey([string] $Yaml) {
    (($Yaml -split "`n" | Where-Object { $_.Trim() } | ForEach-Object { ($_ -replace '\s+', ' ').Trim() }) -join "`n").ToLowerInvariant()
}

# Reads <Name>.md into the help source the MAML writer takes (Synopsis, Description, Parameters,
# Inputs, Outputs, Notes, Examples, Links) and lists every way it falls short of the schema or of
# the built command.
function Read-CmdletHelp([string] $Path, $Command, [string] $ModuleName, [string] $HelpFile) {
    $file = Split-Path -Leaf $Path
    $name = $Command.Name
    $problems = [System.Collections.Generic.List[string]]::new()
    $markdown = Read-Markdown $Path

    if (-not $markdown.HasFrontMatter) { $problems.Add("${name}: $file does not start with the front matter (--- ... ---)") }
    else {
        $expectedFront = [ordered]@{ 'external help file' = $HelpFile; 'Module Name' = $ModuleName; 'schema' = '2.0.0' }
        foreach ($key in $expectedFront.Keys) {
            if ($markdown.FrontMatter[$key] -ne $expectedFront[$key]) { $problems.Add("${name}: the front matter of $file needs '${key}: $($expectedFront[$key])'") }
        }
    }

    # Sort the blocks into sections and their ### entries.
    $title = $null
    $sections = [ordered]@{}
    $section = $null
    $entry = $null
    foreach ($block in $markdown.Blocks) {
        if ($block.Kind -eq 'Heading' -and $block.Level -eq 1) {
            if ($title) { $problems.Add("${name}: $file has a second # title at line $($block.Line)") }
            $title = $block.Text
            continue
        }
        if ($block.Kind -eq 'Heading' -and $block.Level -eq 2) {
            $key = $block.Text.Trim().ToUpperInvariant()
            if ($key -notin $CmdletSections) { $problems.Add("${name}: $file has an unknown section '## $($block.Text)' at line $($block.Line) (allowed: $($CmdletSections -join ', '))"); $section = $null; continue }
            $section = [pscustomobject]@{ Blocks = [System.Collections.Generic.List[object]]::new(); Entries = [System.Collections.Generic.List[object]]::new() }
            $sections[$key] = $section
            $entry = $null
            continue
        }
        if (-not $section) {
            if (-not ($block.Kind -eq 'Heading' -and $block.Level -eq 1)) { $problems.Add("${name}: $file has text outside a ## section at line $($block.Line)") }
            continue
        }
        if ($block.Kind -eq 'Heading' -and $block.Level -eq 3) {
            $entry = [pscustomobject]@{ Title = $block.Text.Trim(); Blocks = [System.Collections.Generic.List[object]]::new(); Line = $block.Line }
            $section.Entries.Add($entry)
            continue
        }
        if ($block.Kind -eq 'Heading') { $problems.Add("${name}: $file has a heading of level $($block.Level) at line $($block.Line); the schema uses #, ## and ###"); continue }
        if ($entry) { $entry.Blocks.Add($block) } else { $section.Blocks.Add($block) }
    }
    if ($title -ne $name) { $problems.Add("${name}: the title of $file must be '# $name'") }
    foreach ($key in $CmdletSections) {
        if (-not $sections.Contains($key)) { $problems.Add("${name}: $file has no '## $key' section") }
    }
    $get = { param($key) if ($sections.Contains($key)) { $sections[$key] } else { [pscustomobject]@{ Blocks = @(); Entries = @() } } }

    $source = @{
        Synopsis    = Get-BlockText (& $get 'SYNOPSIS').Blocks
        Description = Get-BlockText (& $get 'DESCRIPTION').Blocks
        Notes       = Get-BlockText (& $get 'NOTES').Blocks
        Parameters  = @{}
        Inputs      = @(foreach ($e in (& $get 'INPUTS').Entries) { @{ Type = $e.Title; Description = Get-BlockText $e.Blocks } })
        Outputs     = @(foreach ($e in (& $get 'OUTPUTS').Entries) { @{ Type = $e.Title; Description = Get-BlockText $e.Blocks } })
        Examples    = @()
        Links       = @()
    }
    if (-not (Test-Text $source.Synopsis)) { $problems.Add("${name}: the SYNOPSIS of $file is empty") }
    if (-not (Test-Text $source.Description)) { $problems.Add("${name}: the DESCRIPTION of $file is empty") }

    # SYNTAX: one block per parameter set, as Get-Command -Syntax prints it.
    $sets = Get-OrderedSets $Command
    $expectedSyntax = foreach ($set in $sets) {
        $heading = if ($sets.Count -gt 1) { "### $($set.Name)$(if ($set.IsDefault) { ' (Default)' })`n`n" } else { '' }
        "$heading$fence`n$($set.Syntax)`n$fence"
    }
    $syntax = & $get 'SYNTAX'
    $actualSyntax = if ($sets.Count -gt 1) {
        foreach ($e in $syntax.Entries) { "$($e.Title)|$(($e.Blocks | Where-Object Kind -EQ 'Code' | ForEach-Object Text) -replace '\s+', ' ')" }
    } else {
        foreach ($b in $syntax.Blocks | Where-Object Kind -EQ 'Code') { "|$($b.Text -replace '\s+', ' ')" }
    }
    $wantedSyntax = foreach ($set in $sets) { "$(if ($sets.Count -gt 1) { "$($set.Name)$(if ($set.IsDefault) { ' (Default)' })" })|$($set.Syntax -replace '\s+', ' ')" }
    if ((@($actualSyntax) -join "`n") -ne (@($wantedSyntax) -join "`n")) {
        $problems.Add("${name}: the SYNTAX of $file differs from the cmdlet's parameter sets; it should read:`n`n$($expectedSyntax -join "`n`n")`n")
    }

    # PARAMETERS: ### -Name, its description, its yaml.
    $byName = @{}
    foreach ($p in $Command.Parameters) { $byName[$p.Name] = $p }
    $documented = @{}
    foreach ($e in (& $get 'PARAMETERS').Entries) {
        if ($e.Title -in 'CommonParameters', '<CommonParameters>') { continue }
        if (-not $e.Title.StartsWith('-')) { $problems.Add("${name}: '### $($e.Title)' under PARAMETERS in $file must be '### -<ParameterName>' or '### CommonParameters'"); continue }
        $parameterName = $e.Title.Substring(1)
        $documented[$parameterName] = $e
        if (-not $byName.ContainsKey($parameterName)) { $problems.Add("${name}: $file describes -$parameterName, which the command does not have (stale help)"); continue }
        $text = Get-BlockText @($e.Blocks | Where-Object { -not ($_.Kind -eq 'Code' -and $_.Language -eq 'yaml') })
        $source.Parameters[$parameterName] = $text
        if (-not (Test-Text $text)) { $problems.Add("${name}: the parameter -$parameterName has no description in $file") }
        $expected = @(Get-ExpectedYaml $Command $byName[$parameterName])
        $actual = @($e.Blocks | Where-Object { $_.Kind -eq 'Code' -and $_.Language -eq 'yaml' } | ForEach-Object Text)
        if ((($actual | ForEach-Object { Format-YamlKey $_ }) -join "`n--`n") -ne (($expected | ForEach-Object { Format-YamlKey $_ }) -join "`n--`n")) {
            $problems.Add("${name}: the yaml of -$parameterName in $file differs from the cmdlet; it should read:`n`n$(($expected | ForEach-Object { "${fence}yaml`n$_`n$fence" }) -join "`n`n")`n")
        }
    }
    foreach ($p in $Command.Parameters) {
        if (-not $documented.ContainsKey($p.Name)) {
            $problems.Add("${name}: the parameter -$($p.Name) has no description in $file; add under ## PARAMETERS:`n`n### -$($p.Name)`n`n<what it does>`n`n$((Get-ExpectedYaml $Command $p | ForEach-Object { "${fence}yaml`n$_`n$fence" }) -join "`n`n")`n")
        }
    }

    # EXAMPLES: ### title, code, remarks (text before the code counts as remarks too).
    $source.Examples = @(foreach ($e in (& $get 'EXAMPLES').Entries) {
            @{
                Title   = $e.Title
                Code    = (@($e.Blocks | Where-Object Kind -EQ 'Code' | ForEach-Object Text) -join "`n`n")
                Remarks = Get-BlockText @($e.Blocks | Where-Object Kind -EQ 'Paragraph')
            }
        })
    if ($source.Examples.Count -lt 2) { $problems.Add("${name}: $($source.Examples.Count) example(s) in $file, at least 2 are required") }
    foreach ($example in $source.Examples) {
        if (-not (Test-Text $example.Code)) { $problems.Add("${name}: the example '$($example.Title)' in $file has no code block") }
        if (-not (Test-Text $example.Remarks)) { $problems.Add("${name}: the example '$($example.Title)' in $file has no remarks") }
    }

    # RELATED LINKS: [text](uri) per line; a link to a local .md file is a help topic, shown by name.
    foreach ($block in (& $get 'RELATED LINKS').Blocks | Where-Object Kind -EQ 'Paragraph') {
        foreach ($line in $block.Lines) {
            $link = [regex]::Match($line.Trim(), '^\[(?<text>.*?)\]\((?<uri>[^)]*)\)$')
            if ($link.Success) {
                $uri = if ($link.Groups['uri'].Value -match '^[a-z][a-z0-9+.-]*://') { $link.Groups['uri'].Value } else { '' }
                $source.Links += @{ Text = (ConvertFrom-MarkdownEscape $link.Groups['text'].Value); Uri = $uri }
            } else {
                $source.Links += @{ Text = (ConvertFrom-MarkdownEscape $line.Trim()); Uri = '' }
            }
        }
    }
    if ($source.Links.Count -eq 0) { $problems.Add("${name}: no RELATED LINKS in $file") }
    foreach ($link in $source.Links) { if (-not (Test-Text $link.Text)) { $problems.Add("${name}: a related link in $file has no text ([text](uri))") } }

    [pscustomobject]@{ Source = $source; Problems = $problems }
}
#endregion

#region About topics: parse, check and render as text
function ConvertTo-AboutText([string] $Path, $Commands, [hashtable] $Sources) {
    $file = Split-Path -Leaf $Path
    $topic = $file -replace '\.md$', ''
    $problems = [System.Collections.Generic.List[string]]::new()
    $markdown = Read-Markdown $Path
    $blocks = @($markdown.Blocks)
    if (-not $blocks.Count -or $blocks[0].Kind -ne 'Heading' -or $blocks[0].Level -ne 1 -or $blocks[0].Text -ne $topic) {
        $problems.Add("${file}: an about topic starts with the title '# $topic'")
    }
    $h2 = @($blocks | Where-Object { $_.Kind -eq 'Heading' -and $_.Level -eq 2 } | ForEach-Object { $_.Text.Trim().ToUpperInvariant() })
    foreach ($required in 'SHORT DESCRIPTION', 'LONG DESCRIPTION') {
        if ($required -notin $h2) { $problems.Add("${file}: no '## $required' section") }
    }

    $out = [System.Collections.Generic.List[string]]::new()
    $out.Add('TOPIC')
    $out.Add("    $topic")
    $indent = 4
    $afterHeading = $true
    foreach ($block in $blocks | Select-Object -Skip 1) {
        switch ($block.Kind) {
            'Heading' {
                if ($block.Level -eq 2) {
                    $out.Add('')
                    $out.Add($block.Text.Trim().ToUpperInvariant())
                    $indent = 4
                } elseif ($block.Level -eq 3) {
                    # A term, its definition indented below it.
                    if (-not $afterHeading) { $out.Add('') }
                    foreach ($line in Format-Wrapped ('    ' + $block.Text.Trim()) $AboutWidth) { $out.Add($line) }
                    $indent = 8
                } else {
                    $problems.Add("${file}: a heading of level $($block.Level) at line $($block.Line); about topics use #, ## and ###")
                }
                $afterHeading = $true
            }
            'Paragraph' {
                if (-not $afterHeading) { $out.Add('') }
                $text = ConvertFrom-MarkdownEscape ($block.Lines -join "`n")
                if ($text.Trim() -eq $CommandListPlaceholder) { $text = $CommandListPlaceholder }
                foreach ($line in $text.Split("`n")) {
                    foreach ($wrapped in Format-Wrapped ((' ' * $indent) + $line.TrimEnd()) $AboutWidth) { $out.Add($wrapped) }
                }
                $afterHeading = $false
            }
            'Code' {
                if (-not $afterHeading) { $out.Add('') }
                foreach ($line in $block.Text.Split("`n")) { $out.Add($(if ($line.Trim()) { "    $line" } else { '' })) }
                $afterHeading = $false
            }
        }
    }
    $text = ($out -join "`n") + "`n"

    if ($text.Contains($CommandListPlaceholder)) {
        # "    Name   synopsis", the synopsis wrapped at 80 columns under itself.
        $width = (@($Commands | ForEach-Object Name) | Measure-Object -Property Length -Maximum).Maximum + 2
        $list = foreach ($command in $Commands) {
            $synopsis = if ($Sources.ContainsKey($command.Name)) { ("$($Sources[$command.Name]['Synopsis'])" -replace '\s+', ' ').Trim() } else { '' }
            $lines = [System.Collections.Generic.List[string]]::new()
            $line = ''
            foreach ($word in $synopsis.Split(' ')) {
                if ($line -and (4 + $width + $line.Length + 1 + $word.Length) -gt $AboutWidth) { $lines.Add($line); $line = $word }
                else { $line = if ($line) { "$line $word" } else { $word } }
            }
            $lines.Add($line)
            "    {0}{1}" -f $command.Name.PadRight($width), $lines[0]
            foreach ($rest in $lines | Select-Object -Skip 1) { (' ' * (4 + $width)) + $rest }
        }
        $text = $text -replace "(?m)^[ \t]*$([regex]::Escape($CommandListPlaceholder))[ \t]*\r?$", (($list -join "`n") -replace '\$', '$$$$')
    }
    # A command the module exports should not still be listed as planned (the generated list has it anyway).
    $planned = [regex]::Match($text, '(?ms)^[ \t]*Planned for later versions.*?(?=^\S)')
    if ($planned.Success) {
        foreach ($command in $Commands) {
            if ($planned.Value -match "(?m)^\s*$([regex]::Escape($command.Name))\b") {
                Write-Warning "${file}: $($command.Name) is exported but still listed under 'Planned for later versions'; remove it from there."
            }
        }
    }
    [pscustomobject]@{ Name = "$topic.help.txt"; Text = $text; Problems = $problems }
}
#endregion

#region MAML writing
function Write-Paragraphs([System.Xml.XmlWriter] $Writer, [string] $Element, [string] $Namespace, [string] $Text, [switch] $TrailingEmptyParagraph) {
    $Writer.WriteStartElement($Element, $Namespace)
    $paragraphs = @(Split-Paragraph $Text)
    if ($paragraphs.Count -eq 0 -or $TrailingEmptyParagraph) { $paragraphs += '' }
    foreach ($para in $paragraphs) { $Writer.WriteElementString('para', $NsMaml, $para) }
    $Writer.WriteEndElement()
}

function Write-Type([System.Xml.XmlWriter] $Writer, [string] $TypeName) {
    $Writer.WriteStartElement('type', $NsDev)
    $Writer.WriteElementString('name', $NsMaml, $TypeName)
    $Writer.WriteElementString('uri', $NsMaml, '')
    $Writer.WriteEndElement()
}

# One <command:parameter>. $Binding holds what may differ between parameter sets (Required,
# Position, PipelineInput), already turned into the text Get-Help shows.
function Write-Parameter([System.Xml.XmlWriter] $Writer, $Parameter, $Binding, [string] $Description, [switch] $InSyntax) {
    $Writer.WriteStartElement('parameter', $NsCommand)
    $Writer.WriteAttributeString('required', $Binding.Required)
    $Writer.WriteAttributeString('variableLength', ([string][bool]$Parameter.IsArray).ToLowerInvariant())
    $Writer.WriteAttributeString('globbing', ([string][bool]$Parameter.Globbing).ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', $Binding.PipelineInput)
    $Writer.WriteAttributeString('position', $Binding.Position)
    $Writer.WriteAttributeString('aliases', $(if ($Parameter.Aliases.Count) { $Parameter.Aliases -join ', ' } else { 'none' }))
    $Writer.WriteElementString('name', $NsMaml, $Parameter.Name)
    Write-Paragraphs $Writer 'description' $NsMaml $Description
    if ($Parameter.Values.Count) {
        $Writer.WriteStartElement('parameterValueGroup', $NsCommand)
        foreach ($value in $Parameter.Values) {
            $Writer.WriteStartElement('parameterValue', $NsCommand)
            $Writer.WriteAttributeString('required', 'false')
            $Writer.WriteAttributeString('command', 'variableLength', $NsCommand, 'false')
            $Writer.WriteString($value)
            $Writer.WriteEndElement()
        }
        $Writer.WriteEndElement()
    }
    if (-not ($InSyntax -and $Parameter.IsSwitch)) {
        $Writer.WriteStartElement('parameterValue', $NsCommand)
        $Writer.WriteAttributeString('required', $(if ($Parameter.IsSwitch) { 'false' } else { 'true' }))
        $Writer.WriteAttributeString('variableLength', ([string][bool]$Parameter.IsArray).ToLowerInvariant())
        $Writer.WriteString($Parameter.TypeName)
        $Writer.WriteEndElement()
    }
    Write-Type $Writer $Parameter.Type
    $Writer.WriteElementString('defaultValue', $NsDev, $(if ($null -ne $Parameter.Default) { $Parameter.Default } else { 'None' }))
    $Writer.WriteEndElement()
}

function Get-PipelineText($Entries) {
    $ways = @()
    if ($Entries | Where-Object FromPipelineByName) { $ways += 'ByPropertyName' }
    if ($Entries | Where-Object FromPipeline) { $ways += 'ByValue' }
    if ($ways) { "True ($($ways -join ', '))" } else { 'False' }
}

function Get-PositionText($Entry) {
    if ($Entry.Position -ge 0) { [string]$Entry.Position } else { 'named' }
}

# "A", "A and B", "A, B and C".
function Join-English([string[]] $Items) {
    if ($Items.Count -le 1) { return "$Items" }
    "$($Items[0..($Items.Count - 2)] -join ', ') and $($Items[-1])"
}

# Text for a property that differs between parameter sets: "0 (SetA, SetB); named (SetC)".
function Join-BySet($Pairs) {
    $groups = @($Pairs | Group-Object Value)
    if ($groups.Count -eq 1) { return $groups[0].Name }
    ($groups | ForEach-Object { "$($_.Name) ($(($_.Group.Set) -join ', '))" }) -join '; '
}

function Write-Command([System.Xml.XmlWriter] $Writer, $Command, [hashtable] $Source) {
    $byName = @{}
    foreach ($p in $Command.Parameters) { $byName[$p.Name] = $p }
    $described = if ($Source['Parameters'] -is [hashtable]) { $Source['Parameters'] } else { @{} }
    $descriptionOf = { param($name) $described[$name] }

    $Writer.WriteStartElement('command', 'command', $NsCommand)
    $Writer.WriteAttributeString('xmlns', 'maml', $null, $NsMaml)
    $Writer.WriteAttributeString('xmlns', 'command', $null, $NsCommand)
    $Writer.WriteAttributeString('xmlns', 'dev', $null, $NsDev)
    $Writer.WriteAttributeString('xmlns', 'MSHelp', $null, $NsMSHelp)

    $Writer.WriteStartElement('details', $NsCommand)
    $Writer.WriteElementString('name', $NsCommand, $Command.Name)
    $Writer.WriteElementString('verb', $NsCommand, $Command.Verb)
    $Writer.WriteElementString('noun', $NsCommand, $Command.Noun)
    Write-Paragraphs $Writer 'description' $NsMaml $Source['Synopsis']
    $Writer.WriteEndElement()

    Write-Paragraphs $Writer 'description' $NsMaml $Source['Description']

    # Syntax: one item per parameter set, the default set first; positional parameters in order,
    # then mandatory ones, then the rest; WhatIf and Confirm last, as PowerShell shows them.
    $sets = Get-OrderedSets $Command
    $Writer.WriteStartElement('syntax', $NsCommand)
    foreach ($set in $sets) {
        $Writer.WriteStartElement('syntaxItem', $NsCommand)
        $Writer.WriteElementString('name', $NsMaml, $Command.Name)
        $index = 0
        $ordered = $set.Parameters | ForEach-Object { [pscustomobject]@{ Entry = $_; Index = $index++ } } | Sort-Object `
            { if ($_.Entry.Name -in 'WhatIf', 'Confirm') { 3 } elseif ($_.Entry.Position -ge 0) { 0 } elseif ($_.Entry.Mandatory) { 1 } else { 2 } },
            { if ($_.Entry.Position -ge 0) { $_.Entry.Position } else { 0 } },
            Index
        foreach ($item in $ordered) {
            $entry = $item.Entry
            $binding = @{
                Required      = ([string][bool]$entry.Mandatory).ToLowerInvariant()
                Position      = Get-PositionText $entry
                PipelineInput = Get-PipelineText @($entry)
            }
            Write-Parameter $Writer $byName[$entry.Name] $binding (& $descriptionOf $entry.Name) -InSyntax
        }
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    # Parameters: each once, in the order the command declares them (WhatIf and Confirm come last).
    $Writer.WriteStartElement('parameters', $NsCommand)
    $names = @($Command.Parameters | ForEach-Object Name)
    $declared = @($names | Sort-Object { $_ -in 'WhatIf', 'Confirm' }, { [array]::IndexOf($names, $_) })
    foreach ($name in $declared) {
        $inSets = foreach ($set in $sets) {
            foreach ($entry in $set.Parameters) { if ($entry.Name -eq $name) { [pscustomobject]@{ Set = $set.Name; Entry = $entry } } }
        }
        $inSets = @($inSets)
        # Get-Help shows only "true" or "false" as Required?, so a parameter that is mandatory in some
        # sets only is "false", as in PowerShell's own generated help, and its description says where.
        $description = & $descriptionOf $name
        $mandatoryIn = @($inSets | Where-Object { $_.Entry.Mandatory } | ForEach-Object Set)
        $optionalIn = @($inSets | Where-Object { -not $_.Entry.Mandatory } | ForEach-Object Set)
        if ($mandatoryIn.Count -and $optionalIn.Count) {
            $description += "`n`nRequired in the parameter sets $(Join-English $mandatoryIn); optional in $(Join-English $optionalIn)."
        }
        $binding = @{
            Required      = $(if ($mandatoryIn.Count -and -not $optionalIn.Count) { 'true' } else { 'false' })
            Position      = Join-BySet ($inSets | ForEach-Object { [pscustomobject]@{ Set = $_.Set; Value = Get-PositionText $_.Entry } })
            PipelineInput = Get-PipelineText @($inSets.Entry)
        }
        Write-Parameter $Writer $byName[$name] $binding $description
    }
    $Writer.WriteEndElement()

    # Inputs: as the source describes them, else the types that bind from the pipeline.
    $inputs = @($Source['Inputs'] | Where-Object { $null -ne $_ })
    if ($inputs.Count -eq 0) {
        $pipelineNames = @($Command.Sets.Parameters | Where-Object { $_.FromPipeline -or $_.FromPipelineByName } | ForEach-Object Name | Select-Object -Unique)
        $inputs = @($pipelineNames | ForEach-Object { @{ Type = $byName[$_].Type; Description = "Bound to -$_." } })
        if ($inputs.Count -eq 0) { $inputs = @(@{ Type = 'None'; Description = 'This cmdlet does not take input from the pipeline.' }) }
    }
    $Writer.WriteStartElement('inputTypes', $NsCommand)
    foreach ($item in $inputs) {
        $Writer.WriteStartElement('inputType', $NsCommand)
        Write-Type $Writer $item['Type']
        Write-Paragraphs $Writer 'description' $NsMaml $item['Description']
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    # Outputs: as the source describes them, else the command's OutputType.
    $outputs = @($Source['Outputs'] | Where-Object { $null -ne $_ })
    if ($outputs.Count -eq 0) { $outputs = @($Command.OutputTypes | ForEach-Object { @{ Type = $_; Description = '' } }) }
    if ($outputs.Count -eq 0) { $outputs = @(@{ Type = 'None'; Description = '' }) }
    $Writer.WriteStartElement('returnValues', $NsCommand)
    foreach ($item in $outputs) {
        $Writer.WriteStartElement('returnValue', $NsCommand)
        Write-Type $Writer $item['Type']
        Write-Paragraphs $Writer 'description' $NsMaml $item['Description']
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    if (Test-Text $Source['Notes']) {
        $Writer.WriteStartElement('alertSet', $NsMaml)
        $Writer.WriteStartElement('alert', $NsMaml)
        foreach ($para in Split-Paragraph $Source['Notes']) { $Writer.WriteElementString('para', $NsMaml, $para) }
        $Writer.WriteEndElement()
        $Writer.WriteEndElement()
    }

    $Writer.WriteStartElement('examples', $NsCommand)
    foreach ($example in $Source['Examples']) {
        $title = $example['Title']
        $Writer.WriteStartElement('example', $NsCommand)
        $Writer.WriteElementString('title', $NsMaml, "---------- $title ----------")
        $Writer.WriteElementString('code', $NsDev, (ConvertTo-Dedented $example['Code']))
        # A trailing empty paragraph puts a blank line between one example and the next title.
        Write-Paragraphs $Writer 'remarks' $NsDev $example['Remarks'] -TrailingEmptyParagraph
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('relatedLinks', $NsCommand)
    foreach ($link in $Source['Links']) {
        $Writer.WriteStartElement('navigationLink', $NsMaml)
        $Writer.WriteElementString('linkText', $NsMaml, $link['Text'])
        $Writer.WriteElementString('uri', $NsMaml, [string]$link['Uri'])
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteEndElement() # command
}
#endregion

$started = [Diagnostics.Stopwatch]::StartNew()
$metadata = Get-ModuleMetadata
$commands = @($metadata.Commands)
$problems = [System.Collections.Generic.List[string]]::new()
$helpFileOf = { param($command) if ($command.HelpFile) { $command.HelpFile } else { "$($metadata.RootModule)-Help.xml" } }

# Sources: one <Name>.md per exported command, none for a command the module does not export.
$sources = @{}
$markdownFiles = @(Get-ChildItem -LiteralPath $SourceDirectory -Filter '*.md' -File | Where-Object Name -NotLike 'about_*')
foreach ($command in $commands) {
    $path = Join-Path $SourceDirectory "$($command.Name).md"
    if (-not (Test-Path -LiteralPath $path)) { $problems.Add("$($command.Name): no help; create $path (platyPS schema, see any other .md there)"); continue }
    $help = Read-CmdletHelp -Path $path -Command $command -ModuleName $metadata.ModuleName -HelpFile (& $helpFileOf $command)
    $sources[$command.Name] = $help.Source
    foreach ($problem in $help.Problems) { $problems.Add($problem) }
}
foreach ($file in $markdownFiles) {
    $name = $file.BaseName
    if ($name -notin @($commands | ForEach-Object Name)) { $problems.Add("${name}: $($file.Name) describes a command the module does not export (stale help)") }
}

# About topics.
$aboutTopics = @(foreach ($file in Get-ChildItem -LiteralPath $SourceDirectory -Filter 'about_*.md' -File | Sort-Object Name) {
        $topic = ConvertTo-AboutText -Path $file.FullName -Commands $commands -Sources $sources
        foreach ($problem in $topic.Problems) { $problems.Add($problem) }
        $topic
    })
if ($aboutTopics.Count -eq 0) { $problems.Add("no about topic (about_*.md) in $SourceDirectory") }

if ($ValidateOnly) {
    return [pscustomobject]@{ Problems = @($problems); Commands = $sources; AboutTopics = $aboutTopics }
}
if ($problems.Count) {
    foreach ($problem in $problems) { Write-Host "Build-Help: $problem" -ForegroundColor Red }
    throw "Build-Help: the help of $($metadata.ModuleName) has $($problems.Count) problem(s):`n  - $($problems -join "`n  - ")"
}

$null = New-Item -ItemType Directory -Path $OutputDirectory -Force
$helpFiles = @($commands | Group-Object { & $helpFileOf $_ })
foreach ($group in $helpFiles) {
    $path = Join-Path $OutputDirectory $group.Name
    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.IndentChars = '  '
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $settings.NewLineChars = "`n"
    $writer = [System.Xml.XmlWriter]::Create($path, $settings)
    try {
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', 'http://msh')
        $writer.WriteAttributeString('schema', 'maml')
        foreach ($command in $group.Group) { Write-Command $writer $command $sources[$command.Name] }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    } finally {
        $writer.Dispose()
    }
    # Proof that what was written parses, and holds every command.
    $xml = [xml]::new()
    $xml.Load($path)
    $count = $xml.DocumentElement.ChildNodes.Count
    if ($count -ne $group.Count) { throw "Build-Help: $path holds $count commands, expected $($group.Count)." }
    Write-Host "Help: $($group.Count) command(s) -> $path" -ForegroundColor Green
}
foreach ($topic in $aboutTopics) {
    $path = Join-Path $OutputDirectory $topic.Name
    Set-Content -LiteralPath $path -Value $topic.Text -Encoding utf8NoBOM -NoNewline
    Write-Host "Help: about topic -> $path" -ForegroundColor Green
}
Write-Verbose "Build-Help took $([int]$started.Elapsed.TotalMilliseconds) ms."
