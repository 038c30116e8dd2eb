/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * hyperstar-cli: the command-line face of the workbench.
 */
#define G_LOG_DOMAIN "hyperstar-cli"

#include <locale.h>
#include <stdio.h>

#include "hs-cli.h"
#include "hs-compute.h"

static const struct {
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} commands[] = {
  { "devices", hs_cli_devices, "List compute devices and the one HS_DEVICE=auto picks" },
  { "bench", hs_cli_bench, "Measure the engine (bench engine [--device cpu|vulkan] [--json])" },
  { "tasks", hs_cli_tasks, "The built-in task catalog (tasks list|build|show)" },
  { "dataset", hs_cli_dataset, "Your own datasets (dataset import|list|show|delete)" },
  { "pretrain", hs_cli_pretrain, "Train the backbone on the pretraining corpus (pretrain --out FILE)" },
  { "train", hs_cli_train, "Fine-tune the backbone on a task or dataset with one configuration" },
  { "meta", hs_cli_meta, "The meta-dataset: every task × configuration (meta build|report)" },
  { "search", hs_cli_search, "Searches in hyperstard (search start|list|show|watch|pause|resume|cancel|export)" },
};

static void
usage (FILE *out)
{
  fprintf (out, "Usage: hyperstar-cli COMMAND [OPTIONS…]\n\nCommands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf (out, "\nRun hyperstar-cli COMMAND --help for a command's options.\n");
}

static char *
format_bytes (guint64 bytes)
{
  return g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS);
}

int
hs_cli_devices (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— list compute devices");
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) vulkan_error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  HsDeviceInfo *chosen;
  const char *policy = g_getenv ("HS_DEVICE");

  if (!hs_cli_parse_options (context, "devices", &argc, &argv))
    return HS_CLI_EXIT_USAGE;
  list = hs_device_list (&vulkan_error);
  chosen = hs_device_choose (list, "auto", NULL);

  for (guint i = 0; i < list->len; i++)
    {
      HsDeviceInfo *info = g_ptr_array_index (list, i);
      g_autofree char *mem = format_bytes (info->memory_bytes);
      g_autofree char *id = info->backend == HS_BACKEND_CPU
                            ? g_strdup ("cpu") : g_strdup_printf ("vulkan:%u", info->index);

      g_print ("%s %-9s %s\n", info == chosen ? "*" : " ", id, info->name);
      g_print ("    type: %s, driver: %s, memory: %s\n",
               hs_device_type_to_string (info->type), info->driver, mem);
      if (info->backend == HS_BACKEND_CPU)
        g_print ("    threads: %u\n", info->threads);
      else
        {
          g_autofree char *range = format_bytes (info->max_storage_buffer_range);
          g_print ("    Vulkan %u.%u.%u, subgroup %u, workgroup ≤ %u invocations, "
                   "groups ≤ %u×%u×%u, shared memory %u bytes, storage buffer range %s\n",
                   info->api_version >> 22, (info->api_version >> 12) & 0x3ff,
                   info->api_version & 0xfff, info->subgroup_size,
                   info->max_workgroup_invocations, info->max_workgroup_count[0],
                   info->max_workgroup_count[1], info->max_workgroup_count[2],
                   info->max_shared_memory, range);
          if (info->type == HS_DEVICE_TYPE_VULKAN_CPU)
            g_print ("    software Vulkan: used only with HS_DEVICE=vulkan\n");
        }
    }
  if (vulkan_error != NULL)
    g_print ("Vulkan: %s\n", vulkan_error->message);
  g_print ("\n* HS_DEVICE=auto picks %s.\n", chosen->name);
  if (policy != NULL && !g_str_equal (policy, "auto"))
    {
      HsDeviceInfo *env = hs_device_choose (list, policy, &error);
      if (env == NULL)
        {
          g_printerr ("HS_DEVICE: %s\n", error->message);
          return 1;
        }
      g_print ("  HS_DEVICE=%s (set now) picks %s.\n", policy, env->name);
    }
  return 0;
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? 2 : 0;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("hyperstar-cli %s\n", HS_VERSION);
      return 0;
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].run (argc - 1, argv + 1);
  g_printerr ("hyperstar-cli: unknown command “%s”\n\n", argv[1]);
  usage (stderr);
  return 2;
}
