// The calibra_native module: one JS function per kernel, plus info() and setThreads().
#include <omp.h>

#include <cstdlib>
#include <mutex>

#include "common.h"

namespace calibra {

void conv2d(Args &);
void fused_conv2d(Args &);
void conv2d_backprop_input(Args &);
void conv2d_backprop_filter(Args &);
void depthwise_conv2d_native(Args &);
void fused_depthwise_conv2d(Args &);
void depthwise_conv2d_native_backprop_input(Args &);
void depthwise_conv2d_native_backprop_filter(Args &);
void calibra_batch_norm_train(Args &);
void calibra_batch_norm_train_grad(Args &);
void fused_batch_norm(Args &);
void calibra_fused_batch_norm_grad(Args &);
void max_pool(Args &);
void avg_pool(Args &);
void max_pool_grad(Args &);
void avg_pool_grad(Args &);
void batch_mat_mul(Args &);
void fused_mat_mul(Args &);
void relu(Args &);
void relu6(Args &);
void clip_by_value(Args &);
void calibra_relu_grad(Args &);
void calibra_clip_by_value_grad(Args &);
void add(Args &);
void multiply(Args &);
void sub(Args &);
void real_div(Args &);
napi_value channel_moments(napi_env env, napi_callback_info info);
void calibra_adam_update(Args &);
void calibra_momentum_update(Args &);

namespace {

struct Entry {
  const char *name;
  KernelBody body;
};

constexpr Entry kKernels[] = {
    {"conv2d", conv2d},
    {"fusedConv2d", fused_conv2d},
    {"conv2dBackpropInput", conv2d_backprop_input},
    {"conv2dBackpropFilter", conv2d_backprop_filter},
    {"depthwiseConv2dNative", depthwise_conv2d_native},
    {"fusedDepthwiseConv2d", fused_depthwise_conv2d},
    {"depthwiseConv2dNativeBackpropInput", depthwise_conv2d_native_backprop_input},
    {"depthwiseConv2dNativeBackpropFilter", depthwise_conv2d_native_backprop_filter},
    {"calibraBatchNormTrain", calibra_batch_norm_train},
    {"calibraBatchNormTrainGrad", calibra_batch_norm_train_grad},
    {"fusedBatchNorm", fused_batch_norm},
    {"calibraFusedBatchNormGrad", calibra_fused_batch_norm_grad},
    {"maxPool", max_pool},
    {"avgPool", avg_pool},
    {"maxPoolGrad", max_pool_grad},
    {"avgPoolGrad", avg_pool_grad},
    {"batchMatMul", batch_mat_mul},
    {"fusedMatMul", fused_mat_mul},
    {"relu", relu},
    {"relu6", relu6},
    {"clipByValue", clip_by_value},
    {"calibraReluGrad", calibra_relu_grad},
    {"calibraClipByValueGrad", calibra_clip_by_value_grad},
    {"add", add},
    {"multiply", multiply},
    {"sub", sub},
    {"realDiv", real_div},
    {"calibraAdamUpdate", calibra_adam_update},
    {"calibraMomentumUpdate", calibra_momentum_update},
};

napi_value call_kernel(napi_env env, napi_callback_info info) {
  void *data = nullptr;
  napi_get_cb_info(env, info, nullptr, nullptr, nullptr, &data);
  // The kernels share their caches and one scratchpad. Worker threads that load the addon
  // (each gets its own wasm heap) take turns rather than race.
  static std::mutex one_at_a_time;
  std::lock_guard<std::mutex> lock(one_at_a_time);
  try {
    Args args(env, info);
    reinterpret_cast<KernelBody>(data)(args);
  } catch (const dnnl::error &e) {
    napi_throw_error(env, "CALIBRA_NATIVE_ONEDNN", (std::string("oneDNN: ") + e.what()).c_str());
  } catch (const std::exception &e) {
    napi_throw_error(env, "CALIBRA_NATIVE", e.what());
  }
  return nullptr;
}

napi_value set_property(napi_env env, napi_value obj, const char *name, napi_value value) {
  napi_set_named_property(env, obj, name, value);
  return obj;
}

const char *isa_name(dnnl::cpu_isa isa) {
  switch (isa) {
    case dnnl::cpu_isa::sse41: return "sse41";
    case dnnl::cpu_isa::avx: return "avx";
    case dnnl::cpu_isa::avx2: return "avx2";
    case dnnl::cpu_isa::avx512_core: return "avx512_core";
    case dnnl::cpu_isa::avx512_core_vnni: return "avx512_core_vnni";
    case dnnl::cpu_isa::avx512_core_bf16: return "avx512_core_bf16";
    case dnnl::cpu_isa::avx512_core_amx: return "avx512_core_amx";
    default: return "other";
  }
}

// { threads, onednn, isa }: what the kernels will run with, for logs and benchmarks.
napi_value info(napi_env env, napi_callback_info) {
  napi_value obj, threads, version, isa;
  napi_create_object(env, &obj);
  napi_create_int32(env, omp_get_max_threads(), &threads);
  const dnnl_version_t *v = dnnl_version();
  const std::string ver = std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
                          std::to_string(v->patch);
  napi_create_string_utf8(env, ver.c_str(), NAPI_AUTO_LENGTH, &version);
  napi_create_string_utf8(env, isa_name(dnnl::get_effective_cpu_isa()), NAPI_AUTO_LENGTH, &isa);
  set_property(env, obj, "threads", threads);
  set_property(env, obj, "onednn", version);
  return set_property(env, obj, "isa", isa);
}

// setThreads(n): the OpenMP team size for every later kernel call.
napi_value set_threads(napi_env env, napi_callback_info cb) {
  size_t argc = 1;
  napi_value arg;
  int32_t n = 0;
  napi_get_cb_info(env, cb, &argc, &arg, nullptr, nullptr);
  if (argc < 1 || napi_get_value_int32(env, arg, &n) != napi_ok || n < 1) {
    napi_throw_range_error(env, nullptr, "setThreads needs a whole number of threads, at least 1");
    return nullptr;
  }
  omp_set_num_threads(n);
  return nullptr;
}

napi_value init(napi_env env, napi_value exports) {
  // oneDNN's OpenMP pool would otherwise take every logical CPU; hyperthread siblings only
  // contend for the same FMA units. An explicit OMP_NUM_THREADS still wins.
  if (std::getenv("OMP_NUM_THREADS") == nullptr) omp_set_num_threads(physical_cores());
  for (const Entry &k : kKernels) {
    napi_value fn;
    napi_create_function(env, k.name, NAPI_AUTO_LENGTH, call_kernel,
                         reinterpret_cast<void *>(k.body), &fn);
    set_property(env, exports, k.name, fn);
  }
  napi_value fn;
  napi_create_function(env, "setThreads", NAPI_AUTO_LENGTH, set_threads, nullptr, &fn);
  set_property(env, exports, "setThreads", fn);
  napi_create_function(env, "channelMoments", NAPI_AUTO_LENGTH, channel_moments, nullptr, &fn);
  set_property(env, exports, "channelMoments", fn);
  napi_create_function(env, "info", NAPI_AUTO_LENGTH, info, nullptr, &fn);
  return set_property(env, exports, "info", fn);
}

}  // namespace
}  // namespace calibra

NAPI_MODULE(NODE_GYP_MODULE_NAME, calibra::init)
