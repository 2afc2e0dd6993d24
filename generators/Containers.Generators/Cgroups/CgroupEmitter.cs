using System.Collections.Generic;

namespace Containers.Generators.Cgroups;

/// <summary>Writes the generated members. The helpers called live in Containers.Runtime.Cgroups.</summary>
internal static class CgroupEmitter
{
    private const string Rt = CgroupAttributeSource.RuntimeNamespace;
    private const string Version = Rt + ".CgroupVersion";
    private const string Directory = Rt + ".CgroupDirectory";
    private const string Value = Rt + ".CgroupValue";
    private const string Keyed = Rt + ".CgroupKeyedText";

    public static string FileSet(CgroupFileSetModel model)
    {
        var w = new CgroupCodeWriter();
        using (Open(w, model.Type))
        {
            bool first = true;
            foreach (CgroupFileModel file in model.Files)
            {
                if (!first)
                {
                    w.Line();
                }

                first = false;
                File(w, file);
            }
        }

        return Close(w, model.Type);
    }

    private static void File(CgroupCodeWriter w, CgroupFileModel file)
    {
        List<string> placeholders = CgroupFileNames.Placeholders(file.V2 ?? file.V1!);
        string parameters = string.Concat(placeholders.ConvertAll(p => ", string " + p));
        string arguments = string.Concat(placeholders.ConvertAll(p => ", " + p));
        string n = file.Name;
        string type = ValueType(file);
        string require = $"string file = dir.Require({n}FileName(dir.Version{arguments}), \"{file.Controller}\", \"{n}\");";

        w.Line($"/// <summary>The name of {Describe(file)}; null on a version without it.</summary>");
        w.Line($"public static string? {n}FileName({Version} version{parameters}) =>");
        w.Line($"    version == {Version}.V1 ? {Name(file.V1, placeholders)} : {Name(file.V2, placeholders)};");
        w.Line();
        w.Line($"/// <summary>Whether {Describe(file)} exists in <paramref name=\"dir\"/>.</summary>");
        w.Line($"public static bool Has{n}({Directory} dir{parameters}) =>");
        w.Line($"    {n}FileName(dir.Version{arguments}) is {{ }} file && dir.Exists(file);");
        w.Line();
        w.Line($"/// <summary>Reads {Describe(file)}.</summary>");
        using (w.Open($"public static {type} Read{n}({Directory} dir{parameters})"))
        {
            w.Line(require);
            w.Line("string text = dir.Read(file);");
            switch (file.Kind)
            {
                case CgroupKind.Integer:
                    w.Line($"return {Value}.ParseInteger(text, dir, file);");
                    break;
                case CgroupKind.MaxInteger:
                    w.Line($"return {Value}.ParseMaxInteger(text, dir, file);");
                    break;
                case CgroupKind.String:
                    w.Line($"return {Value}.ParseString(text);");
                    break;
                case CgroupKind.List:
                    w.Line($"return {Value}.ParseList(text);");
                    break;
                case CgroupKind.FlatKeyed when file.RecordType is null:
                    w.Line($"return {Value}.ParseFlat(text, dir, file);");
                    break;
                default:
                    string parse = file.Kind == CgroupKind.NestedKeyed ? "ParseAll" : "Parse";
                    using (w.Open("try"))
                    {
                        w.Line($"return {file.RecordType}.{parse}(text, dir.Version);");
                    }

                    using (w.Open("catch (global::System.FormatException e)"))
                    {
                        w.Line("throw dir.FormatError(file, text, e);");
                    }

                    break;
            }
        }

        if (file.ReadOnly)
        {
            return;
        }

        w.Line();
        (string writeType, string format) = file.Kind switch
        {
            CgroupKind.Integer => ("long", $"{Value}.FormatInteger(value)"),
            CgroupKind.MaxInteger => ("long?", $"{Value}.FormatMaxInteger(value, dir.Version)"),
            _ => ("string", "value"),
        };
        string what = file.Kind switch
        {
            CgroupKind.MaxInteger => "; null writes unlimited (v2 <c>max</c>, v1 <c>-1</c>)",
            CgroupKind.List => "; one value per write, as the kernel takes it",
            CgroupKind.FlatKeyed or CgroupKind.NestedKeyed => "; one line per write",
            _ => string.Empty,
        };
        w.Line($"/// <summary>Writes {Describe(file)}{what}.</summary>");
        using (w.Open($"public static void Write{n}({Directory} dir{parameters}, {writeType} value)"))
        {
            w.Line(require);
            w.Line($"dir.Write(file, {format});");
        }
    }

    private static string ValueType(CgroupFileModel file) => file.Kind switch
    {
        CgroupKind.Integer => "long",
        CgroupKind.MaxInteger => "long?",
        CgroupKind.String => "string",
        CgroupKind.List => "global::System.Collections.Generic.IReadOnlyList<string>",
        CgroupKind.FlatKeyed when file.RecordType is null => "global::System.Collections.Generic.IReadOnlyDictionary<string, string>",
        CgroupKind.FlatKeyed => file.RecordType!,
        _ => $"global::System.Collections.Generic.IReadOnlyList<{file.RecordType}>",
    };

    private static string Describe(CgroupFileModel file)
    {
        string v1 = file.V1 is null ? "none" : $"<c>{Escape(file.V1)}</c>";
        string v2 = file.V2 is null ? "none" : $"<c>{Escape(file.V2)}</c>";
        return $"the {file.Controller} file (v1 {v1}, v2 {v2})";
    }

    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private static string Name(string? file, List<string> placeholders) =>
        file is null ? "null" : (placeholders.Count > 0 ? "$" : string.Empty) + CgroupCodeWriter.Literal(file);

    public static string KeyedRecord(CgroupKeyedRecordModel model)
    {
        var w = new CgroupCodeWriter();
        string self = model.Type.Name;
        using (Open(w, model.Type))
        {
            if (model.PerDevice)
            {
                w.Line("/// <summary>The device (major:minor) this line is about.</summary>");
                w.Line($"public {Rt}.CgroupDeviceNumber Device {{ get; init; }}");
                w.Line();
                w.Line("/// <summary>One record per device, in file order; lines that name no device (v1 \"Total\") are skipped.</summary>");
                using (w.Open($"public static global::System.Collections.Generic.IReadOnlyList<{self}> ParseAll(string content, {Version} version)"))
                {
                    w.Line($"var devices = new global::System.Collections.Generic.List<{Rt}.CgroupDeviceNumber>();");
                    w.Line("var slots = new global::System.Collections.Generic.List<string?[]>();");
                    w.Line($"var index = new global::System.Collections.Generic.Dictionary<{Rt}.CgroupDeviceNumber, int>();");
                    using (w.Open($"foreach ({Rt}.CgroupNestedValue entry in {Keyed}.Nested(content))"))
                    {
                        using (w.Open("if (!index.TryGetValue(entry.Device, out int i))"))
                        {
                            w.Line("i = devices.Count;");
                            w.Line("index.Add(entry.Device, i);");
                            w.Line("devices.Add(entry.Device);");
                            w.Line($"slots.Add(new string?[{model.Keys.Count}]);");
                        }

                        w.Line();
                        w.Line("int slot = Slot(entry.Key, version);");
                        using (w.Open("if (slot >= 0)"))
                        {
                            w.Line("slots[i][slot] = entry.Value;");
                        }
                    }

                    w.Line();
                    w.Line($"var result = new {self}[devices.Count];");
                    using (w.Open("for (int d = 0; d < result.Length; d++)"))
                    {
                        w.Line("string?[] s = slots[d];");
                        w.Line($"result[d] = new {self}");
                        w.Line("{");
                        w.Line("    Device = devices[d],");
                        for (int i = 0; i < model.Keys.Count; i++)
                        {
                            w.Line($"    {model.Keys[i].Property} = {Convert(model.Keys[i], $"s[{i}]")},");
                        }

                        w.Line("};");
                    }

                    w.Line();
                    w.Line("return result;");
                }
            }
            else
            {
                w.Line("/// <summary>Parses \"key value\" lines; keys the record does not name are ignored.</summary>");
                using (w.Open($"public static {self} Parse(string content, {Version} version)"))
                {
                    w.Line($"var s = new string?[{model.Keys.Count}];");
                    using (w.Open($"foreach (global::System.Collections.Generic.KeyValuePair<string, string> pair in {Keyed}.Flat(content))"))
                    {
                        w.Line("int slot = Slot(pair.Key, version);");
                        using (w.Open("if (slot >= 0)"))
                        {
                            w.Line("s[slot] = pair.Value;");
                        }
                    }

                    w.Line();
                    w.Line($"return new {self}");
                    w.Line("{");
                    for (int i = 0; i < model.Keys.Count; i++)
                    {
                        w.Line($"    {model.Keys[i].Property} = {Convert(model.Keys[i], $"s[{i}]")},");
                    }

                    w.Line("};");
                }
            }

            w.Line();
            w.Line("/// <summary>The position of a key's value among the record's properties, or -1.</summary>");
            using (w.Open($"private static int Slot(string key, {Version} version)"))
            {
                Switch(w, model, version: 1);
                Switch(w, model, version: 2);
            }
        }

        return Close(w, model.Type);
    }

    private static void Switch(CgroupCodeWriter w, CgroupKeyedRecordModel model, int version)
    {
        bool last = version == 2;
        var cases = new List<string>();
        for (int i = 0; i < model.Keys.Count; i++)
        {
            string? key = version == 1 ? model.Keys[i].V1 : model.Keys[i].V2;
            if (key is not null)
            {
                cases.Add($"{CgroupCodeWriter.Literal(key)} => {i},");
            }
        }

        string header = last ? "return key switch" : $"if (version == {Version}.V1)";
        if (cases.Count == 0)
        {
            w.Line(last ? "return -1;" : header);
            if (!last)
            {
                w.Line("{");
                w.Line("    return -1;");
                w.Line("}");
                w.Line();
            }

            return;
        }

        if (!last)
        {
            w.Line(header);
            w.Line("{");
            w.Line("    return key switch");
            w.Line("    {");
            foreach (string c in cases)
            {
                w.Line("        " + c);
            }

            w.Line("        _ => -1,");
            w.Line("    };");
            w.Line("}");
            w.Line();
            return;
        }

        w.Line(header);
        w.Line("{");
        foreach (string c in cases)
        {
            w.Line("    " + c);
        }

        w.Line("    _ => -1,");
        w.Line("};");
    }

    private static string Convert(CgroupKeyModel key, string slot)
    {
        string method = key.Signed ? "ToInt64" : "ToUInt64";
        string call = $"{Keyed}.{method}({slot}, {CgroupCodeWriter.Literal(key.V2 ?? key.V1)})";
        return key.Nullable ? call : call + ".GetValueOrDefault()";
    }

    private static CgroupCodeWriter.Block Open(CgroupCodeWriter w, CgroupTypeModel type)
    {
        w.Line("// <auto-generated/>");
        w.Line("#nullable enable");
        if (type.Namespace.Length > 0)
        {
            w.Line($"namespace {type.Namespace};");
            w.Line();
        }

        return w.Open($"partial {type.Keyword} {type.Name}");
    }

    private static string Close(CgroupCodeWriter w, CgroupTypeModel type) => w.ToString();
}
