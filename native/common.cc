#include "common.h"

#include "onednn_compat.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <list>
#include <memory>
#include <set>
#include <utility>

#include <sched.h>

namespace calibra {

// Never destroyed: the caches' primitives and memories, destroyed at exit in no fixed order
// relative to these, must not outlive their engine.
dnnl::engine &cpu_engine() {
  static auto *engine = new dnnl::engine(dnnl::engine::kind::cpu, 0);
  return *engine;
}

dnnl::stream &cpu_stream() {
  static auto *stream = new dnnl::stream(cpu_engine());
  return *stream;
}

Args::Args(napi_env env, napi_callback_info info) : env_(env) {
  size_t argc = 64;
  argv_.resize(argc);
  if (napi_get_cb_info(env, info, &argc, argv_.data(), nullptr, nullptr) != napi_ok) {
    throw CallError("could not read the call's arguments");
  }
  argv_.resize(std::min(argc, argv_.size()));
  if (argc == 0) throw CallError("expected the wasm heap (Uint8Array) as the first argument");
  napi_typedarray_type type;
  size_t length = 0;
  void *data = nullptr;
  napi_value buffer;
  size_t offset = 0;
  if (napi_get_typedarray_info(env, argv_[0], &type, &length, &data, &buffer, &offset) != napi_ok ||
      type != napi_uint8_array) {
    throw CallError("expected the wasm heap (Uint8Array) as the first argument");
  }
  heap_ = static_cast<uint8_t *>(data);
  heap_bytes_ = length;
}

napi_value Args::next() {
  if (pos_ >= argv_.size()) throw CallError("too few arguments");
  return argv_[pos_++];
}

int64_t Args::i() {
  int64_t v = 0;
  if (napi_get_value_int64(env_, next(), &v) != napi_ok) throw CallError("expected a number");
  return v;
}

float Args::f() {
  double v = 0;
  if (napi_get_value_double(env_, next(), &v) != napi_ok) throw CallError("expected a number");
  return static_cast<float>(v);
}

double Args::d() {
  double v = 0;
  if (napi_get_value_double(env_, next(), &v) != napi_ok) throw CallError("expected a number");
  return v;
}

std::pair<const double *, size_t> Args::doubles() {
  napi_typedarray_type type;
  size_t length = 0;
  void *data = nullptr;
  napi_value buffer;
  size_t offset = 0;
  if (napi_get_typedarray_info(env_, next(), &type, &length, &data, &buffer, &offset) != napi_ok ||
      type != napi_float64_array) {
    throw CallError("expected a Float64Array");
  }
  return {static_cast<const double *>(data), length};
}

float *Args::tensor(int64_t elems) { return tensor_at(i(), elems); }

float *Args::tensor_at(int64_t offset, int64_t elems) {
  const auto bytes = static_cast<uint64_t>(elems) * sizeof(float);
  if (offset < 0 || elems < 0 || offset % alignof(float) != 0 ||
      static_cast<uint64_t>(offset) + bytes > heap_bytes_) {
    throw CallError("tensor of " + std::to_string(elems) + " floats at offset " +
                    std::to_string(offset) + " does not lie in the wasm heap");
  }
  return reinterpret_cast<float *>(heap_ + offset);
}

float *Args::optional_tensor(int64_t elems) {
  if (pos_ < argv_.size()) {
    int64_t offset = 0;
    if (napi_get_value_int64(env_, argv_[pos_], &offset) == napi_ok && offset < 0) {
      ++pos_;
      return nullptr;
    }
  }
  return tensor(elems);
}

dnnl::primitive_attr user_scratchpad_attr() {
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  return attr;
}

dnnl::primitive_attr attr_with_activation(Activation act, float alpha) {
  dnnl::primitive_attr attr = user_scratchpad_attr();
  dnnl::post_ops ops;
  switch (act) {
    case Activation::linear:
      break;
    case Activation::relu:
      onednn::append_eltwise(ops, dnnl::algorithm::eltwise_relu, 0.f, 0.f);
      break;
    case Activation::relu6:
      onednn::append_eltwise(ops, dnnl::algorithm::eltwise_clip, 0.f, 6.f);
      break;
    case Activation::leakyrelu:
      onednn::append_eltwise(ops, dnnl::algorithm::eltwise_relu, alpha, 0.f);
      break;
    case Activation::elu:
      onednn::append_eltwise(ops, dnnl::algorithm::eltwise_elu, 1.f, 0.f);
      break;
    case Activation::sigmoid:
      onednn::append_eltwise(ops, dnnl::algorithm::eltwise_logistic, 0.f, 0.f);
      break;
    default:
      throw CallError("unknown activation " + std::to_string(static_cast<int64_t>(act)));
  }
  attr.set_post_ops(ops);
  return attr;
}

memory scratchpad(const dnnl::primitive_desc &pd) {
  struct Free {
    void operator()(void *p) const { std::free(p); }
  };
  static std::unique_ptr<void, Free> buffer;
  static size_t capacity = 0;
  const memory::desc md = pd.scratchpad_desc();
  const size_t need = md.get_size();
  if (need > capacity) {
    const size_t rounded = (need + 4095) / 4096 * 4096;
    buffer.reset(std::aligned_alloc(4096, rounded));
    if (!buffer) throw std::bad_alloc();
    capacity = rounded;
  }
  return memory(md, cpu_engine(), buffer.get());
}

memory user_memory(const memory::desc &md, const float *data) {
  // oneDNN takes a non-const handle for every memory; inputs are only read.
  return memory(md, cpu_engine(), const_cast<float *>(data));
}

void reorder_into(const memory &from, const memory &to) {
  dnnl::reorder(from, to).execute(cpu_stream(), const_cast<memory &>(from), const_cast<memory &>(to));
}

memory reorder_to(const memory &from, const memory::desc &want) {
  if (from.get_desc() == want) return from;
  memory to(want, cpu_engine());
  reorder_into(from, to);
  return to;
}

namespace {

struct CachedWeights {
  int64_t id;
  memory::desc want;
  memory mem;
};

// Filters of a few models' worth of layers: enough for inference to hit every time, small
// enough that training (a new filter tensor every step) does not pile up copies.
constexpr size_t kMaxCachedWeights = 256;
constexpr size_t kMaxCachedWeightBytes = size_t{256} << 20;

}  // namespace

memory weights_as(int64_t id, const memory::desc &user, const float *data, const memory::desc &want) {
  memory from = user_memory(user, data);
  if (user == want) return from;
  if (id < 0) return reorder_to(from, want);

  static std::list<CachedWeights> lru;
  static size_t bytes = 0;
  for (auto it = lru.begin(); it != lru.end(); ++it) {
    if (it->id == id && it->want == want) {
      lru.splice(lru.begin(), lru, it);
      return lru.front().mem;
    }
  }
  memory to = reorder_to(from, want);
  lru.push_front({id, want, to});
  bytes += want.get_size();
  while (lru.size() > kMaxCachedWeights || (bytes > kMaxCachedWeightBytes && lru.size() > 1)) {
    bytes -= lru.back().want.get_size();
    lru.pop_back();
  }
  return to;
}

int physical_cores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return 1;
  std::set<std::pair<std::string, std::string>> cores;
  const int logical = CPU_COUNT(&set);
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (!CPU_ISSET(cpu, &set)) continue;
    const std::string dir = "/sys/devices/system/cpu/cpu" + std::to_string(cpu) + "/topology/";
    std::string package, core;
    std::ifstream(dir + "physical_package_id") >> package;
    std::ifstream(dir + "core_id") >> core;
    // Without topology (some containers) the best guess is one thread per CPU we may run on.
    if (core.empty()) return logical > 0 ? logical : 1;
    cores.emplace(package, core);
  }
  return cores.empty() ? 1 : static_cast<int>(cores.size());
}

}  // namespace calibra
